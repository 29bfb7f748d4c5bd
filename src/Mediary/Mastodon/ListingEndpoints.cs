using Mediary.Auth;
using Mediary.Media;
using Mediary.Statuses;
using Mediary.Web;

namespace Mediary.Mastodon;

/// <summary>
/// The account's media, listed: Mastodon's <c>GET /api/v1/accounts/:id/statuses</c> for media
/// attached to statuses, and Mediary's own <c>GET /api/v1/mediary/media</c> for those not attached
/// yet, which Mastodon has no listing of. Both page as Mastodon pages (<see cref="MastodonPaging"/>).
/// </summary>
public static class ListingEndpoints
{
    /// <summary>Mastodon's DEFAULT_STATUSES_LIMIT; a page holds at most twice as many.</summary>
    public const int DefaultLimit = 20;

    /// <summary>AccountStatusesFilter::KEYS: carried on in the Link's URLs.</summary>
    private static readonly string[] StatusFilterKeys = ["pinned", "tagged", "only_media", "exclude_replies", "exclude_reblogs"];

    public static IEndpointRouteBuilder MapMastodonListings(this IEndpointRouteBuilder app)
    {
        // Api::V1::Accounts::StatusesController: `authorize_if_got_token! :read, :'read:statuses'`. Mastodon
        // also answers without a token; here a user's token is needed, as for GET /api/v1/statuses/:id.
        app.MapGet("/api/v1/accounts/{id}/statuses", async (string id, HttpContext http, StatusService statuses, AccountStore accounts,
            MediaUrls urls, CancellationToken ct) =>
        {
            if (!long.TryParse(id, out var accountId) || await accounts.FindAsync(accountId) is not { } account) throw MediaException.NotFound();
            var paging = MastodonPaging.Read(http.Request, DefaultLimit, StatusFilterKeys);
            var filter = new AccountStatusesFilter(
                OnlyMedia: MastodonPaging.Truthy(http.Request, "only_media"),
                Pinned: MastodonPaging.Truthy(http.Request, "pinned"),
                Tagged: !string.IsNullOrWhiteSpace(MastodonPaging.Param(http.Request.Query, "tagged")));
            var page = await statuses.ListByAccountAsync(MastodonAuthFilter.AccountId(http), account.Id, filter, paging.Page, ct);
            paging.AddLinkHeader(http.Response, $"{urls.ServerBaseFor(http.Request)}/api/v1/accounts/{id}/statuses", page, item => item.Status.Id);
            return StatusJson.ListResult(page, account, http.Request, urls);
        }).AddEndpointFilter<MastodonErrorFilter>().RequireScopes("read", "read:statuses");

        // Mediary's own. Scopes: read (as the web app asks), and write or write:media, which already
        // show each of these media through GET /api/v1/media/:id.
        app.MapGet("/api/v1/mediary/media", async (HttpContext http, MediaService media, MediaUrls urls, MediaJsonCache rendered,
            CancellationToken ct) =>
        {
            var query = http.Request.Query;
            var paging = MastodonPaging.Read(http.Request, DefaultLimit, "type", "state");
            var page = await media.ListUnattachedAsync(MastodonAuthFilter.AccountId(http), Filter(query, "type"), Filter(query, "state"), paging.Page, ct);
            paging.AddLinkHeader(http.Response, $"{urls.ServerBaseFor(http.Request)}/api/v1/mediary/media", page, item => item.Id);
            var mediaBase = urls.BaseFor(http.Request);
            var json = new List<byte>(page.Count * 600) { (byte)'[' };
            foreach (var item in page)
            {
                if (json.Count > 1) json.Add((byte)',');
                json.AddRange(rendered.Get(item, mediaBase));
            }
            json.Add((byte)']');
            return Results.Bytes(json.ToArray(), "application/json; charset=utf-8");
        }).AddEndpointFilter<MastodonErrorFilter>().RequireScopes("read", "write", "write:media");
        return app;
    }

    /// <summary>A filter's value; absent or blank filters nothing.</summary>
    private static string? Filter(IQueryCollection query, string name) =>
        MastodonPaging.Param(query, name) is { } value && !string.IsNullOrWhiteSpace(value) ? value : null;
}
