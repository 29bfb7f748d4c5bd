using System.Globalization;
using Mediary.Auth;
using Mediary.Media;
using Mediary.Web;

namespace Mediary.Mastodon;

/// <summary>
/// Mediary's own admin API on the Mastodon face, under <c>/api/v1/mediary/admin</c> (Mastodon's
/// <c>/api/v1/admin</c> has no storage): a token with <c>admin:read</c> (or <c>admin:read:accounts</c>)
/// of an account that is an admin now. Anyone else with such a token gets Mastodon's 403
/// <c>This action is not allowed</c>, as Mastodon's policies answer.
/// </summary>
public static class AdminEndpoints
{
    public const string NotAllowed = "This action is not allowed";
    public const int DefaultLimit = 40, MaxLimit = 200;

    public static IEndpointRouteBuilder MapMastodonAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/v1/mediary/admin")
            .AddEndpointFilter<MastodonErrorFilter>()
            .RequireScopes("admin:read", "admin:read:accounts")
            .AddEndpointFilter<AdminOnly>();

        // Every account's storage, newest first, paged as Mastodon pages (limit, max_id, a Link to the next page).
        admin.MapGet("/usage", async (HttpContext http, StorageQuota quota, MediaUrls urls, CancellationToken ct) =>
        {
            var query = http.Request.Query;
            var limit = int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var asked)
                ? Math.Clamp(asked, 1, MaxLimit) : DefaultLimit;
            long? maxId = long.TryParse(query["max_id"], NumberStyles.None, CultureInfo.InvariantCulture, out var max) ? max : null;
            var page = await quota.UsageByAccountAsync(limit, maxId, cancellationToken: ct);
            if (page.Count == limit)
            {
                var next = $"{urls.ServerBaseFor(http.Request)}/api/v1/mediary/admin/usage?limit={limit}&max_id={page[^1].AccountId}";
                http.Response.Headers.Link = $"<{next}>; rel=\"next\"";
            }
            return Results.Json(page.Select(Json), contentType: "application/json; charset=utf-8");
        });

        admin.MapGet("/usage/{account_id}", async (string account_id, StorageQuota quota, CancellationToken ct) =>
        {
            if (!long.TryParse(account_id, NumberStyles.None, CultureInfo.InvariantCulture, out var id)) throw MediaException.NotFound();
            var found = await quota.UsageByAccountAsync(1, accountId: id, cancellationToken: ct);
            return found.Count == 1 ? Results.Json(Json(found[0]), contentType: "application/json; charset=utf-8") : throw MediaException.NotFound();
        });
        return app;
    }

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
