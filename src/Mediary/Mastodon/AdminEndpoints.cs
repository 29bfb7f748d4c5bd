using System.Globalization;
using Mediary.Auth;
using Mediary.Media;
using Mediary.Web;

namespace Mediary.Mastodon;

/// <summary>
/// Mediary's own admin API on the Mastodon face, under <c>/api/v1/mediary/admin</c> (Mastodon's
/// <c>/api/v1/admin</c> has no storage, jobs or tokens): a token with an admin scope of Mastodon's
/// hierarchy (<c>admin:read</c> or its part <c>admin:read:accounts</c> to read about accounts,
/// <c>admin:write</c> or <c>admin:write:accounts</c> to change them; the job queue, which no part
/// names, needs <c>admin:read</c> or <c>admin:write</c> themselves) of an account that is an admin
/// now. Anyone else with such a token gets Mastodon's 403 <c>This action is not allowed</c>, as
/// Mastodon's policies answer.
/// </summary>
public static class AdminEndpoints
{
    public const string NotAllowed = "This action is not allowed";
    public const int DefaultLimit = 40, MaxLimit = 200;
    public const string Prefix = "/api/v1/mediary/admin";

    public static IEndpointRouteBuilder MapMastodonAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup(Prefix).AddEndpointFilter<MastodonErrorFilter>().DisableAntiforgery();
        var readAccounts = admin.Needing("admin:read", "admin:read:accounts");

        // Every account's storage, newest first, paged as Mastodon pages (limit, max_id, a Link to the next page).
        readAccounts.MapGet("/usage", async (HttpContext http, StorageQuota quota, MediaUrls urls, CancellationToken ct) =>
        {
            var (limit, maxId) = Page(http.Request);
            var page = await quota.UsageByAccountAsync(limit, maxId, cancellationToken: ct);
            if (page.Count == limit) LinkNext(http, urls, "/usage", limit, page[^1].AccountId);
            return Json(page.Select(Json));
        });

        readAccounts.MapGet("/usage/{account_id}", async (string account_id, StorageQuota quota, CancellationToken ct) =>
        {
            if (!long.TryParse(account_id, NumberStyles.None, CultureInfo.InvariantCulture, out var id)) throw MediaException.NotFound();
            var found = await quota.UsageByAccountAsync(1, accountId: id, cancellationToken: ct);
            return found.Count == 1 ? Json(Json(found[0])) : throw MediaException.NotFound();
        });

        admin.MapAdminAccounts().MapAdminJobs().MapAdminTokens();
        return app;
    }

    /// <summary>
    /// A part of the admin API needing any one of <paramref name="scopes"/> (checked first, 403
    /// <c>This action is outside the authorized scopes</c>), then an account that is an admin.
    /// </summary>
    internal static RouteGroupBuilder Needing(this RouteGroupBuilder admin, params string[] scopes) =>
        admin.MapGroup("").RequireScopes(scopes).AddEndpointFilter<AdminOnly>();

    /// <summary>Mastodon's paging parameters: <c>limit</c> (default 40, at most 200) and <c>max_id</c>.</summary>
    internal static (int Limit, long? MaxId) Page(HttpRequest request)
    {
        var query = request.Query;
        var limit = int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var asked)
            ? Math.Clamp(asked, 1, MaxLimit) : DefaultLimit;
        long? maxId = long.TryParse(query["max_id"], NumberStyles.None, CultureInfo.InvariantCulture, out var max) ? max : null;
        return (limit, maxId);
    }

    /// <summary>A full page: a Link to the next one (rel="next", with max_id), keeping the page's other parameters.</summary>
    internal static void LinkNext(HttpContext http, MediaUrls urls, string path, int limit, long lastId, string? more = null)
    {
        var next = $"{urls.ServerBaseFor(http.Request)}{Prefix}{path}?{more}{(more is null ? "" : "&")}limit={limit}&max_id={lastId}";
        http.Response.Headers.Link = $"<{next}>; rel=\"next\"";
    }

    internal static IResult Json(object value) => Results.Json(value, contentType: "application/json; charset=utf-8");

    /// <summary>Mastodon's answer to a DELETE: an empty object.</summary>
    internal static IResult Empty() => Results.Text("{}", "application/json; charset=utf-8");

    internal static IResult Invalid(string sentence) => MastodonErrors.Error(StatusCodes.Status422UnprocessableEntity, sentence);

    /// <summary>A stored round-trip time as the API writes times: ISO 8601 UTC with milliseconds.</summary>
    internal static string? Time(string? stored) => Webhooks.WebhookJson.Time(stored);

    internal static bool TryId(string text, out long id) => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id);

    /// <summary>An account's usage as <see cref="UsageJson"/> writes it, after its id and name.</summary>
    public static Dictionary<string, object?> Json(AccountUsage usage)
    {
        var json = new Dictionary<string, object?>
        {
            ["account_id"] = usage.AccountId.ToString(CultureInfo.InvariantCulture),
            ["username"] = usage.Username,
        };
        foreach (var (key, value) in UsageJson.Of(usage.Usage)) json[key] = value;
        return json;
    }

    /// <summary>The token's account must be an admin when the request comes, not only when the token was made.</summary>
    private sealed class AdminOnly(AccountStore accounts) : IEndpointFilter
    {
        public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            var account = await accounts.FindAsync(MastodonAuthFilter.AccountId(context.HttpContext));
            return account is { Admin: true } ? await next(context) : MastodonErrors.Error(StatusCodes.Status403Forbidden, NotAllowed);
        }
    }
}
