using Mediary.Web;
using Mediary.Auth;
using Mediary.Configuration;
using Microsoft.Extensions.Options;
using Mediary.Media;
using Mediary.Statuses;

namespace Mediary.Mastodon;

/// <summary>The statuses that attach media, and the account endpoints clients call around an upload.</summary>
public static class StatusEndpoints
{
    public static IEndpointRouteBuilder MapMastodonStatuses(this IEndpointRouteBuilder app)
    {
        var write = app.MapGroup("/api/v1/statuses").AddEndpointFilter<MastodonErrorFilter>().RequireScopes("write", "write:statuses").DisableAntiforgery();
        var read = app.MapGroup("/api/v1").AddEndpointFilter<MastodonErrorFilter>().RequireScopes("read", "read:statuses", "read:accounts", "write", "profile");

        write.MapPost("", async (HttpContext http, StatusService statuses, AccountStore accounts, MediaUrls urls, TempFiles temp,
            IOptions<MediaLimitsOptions> limits, CancellationToken ct) =>
        {
            using var input = await StatusParams.ReadAsync(http.Request, temp, limits.Value, ct);
            var accountId = MastodonAuthFilter.AccountId(http);
            var key = http.Request.Headers["Idempotency-Key"].ToString();
            var (status, media) = await statuses.CreateAsync(accountId, input, key.Length > 0 ? key : null, ct);
            return StatusJson.Result(status, media, (await accounts.FindAsync(accountId))!, http.Request, urls);
        });

        write.MapPut("/{id}", async (string id, HttpContext http, StatusService statuses, AccountStore accounts, MediaUrls urls, TempFiles temp,
            IOptions<MediaLimitsOptions> limits, CancellationToken ct) =>
        {
            using var input = await StatusParams.ReadAsync(http.Request, temp, limits.Value, ct);
            var accountId = MastodonAuthFilter.AccountId(http);
            var (status, media) = await statuses.UpdateAsync(accountId, id, input, ct);
            return StatusJson.Result(status, media, (await accounts.FindAsync(accountId))!, http.Request, urls);
        });

        // Deleting answers the deleted status, as Mastodon does (clients use it to redraft).
        write.MapDelete("/{id}", async (string id, HttpContext http, StatusService statuses, AccountStore accounts, MediaUrls urls, CancellationToken ct) =>
        {
            var accountId = MastodonAuthFilter.AccountId(http);
            var deleteMedia = http.Request.Query["delete_media"].ToString() is "true" or "1";
            var (status, media) = await statuses.DeleteAsync(accountId, id, deleteMedia, ct);
            return StatusJson.Result(status, media, (await accounts.FindAsync(accountId))!, http.Request, urls);
        });

        read.MapGet("/statuses/{id}", async (string id, HttpContext http, StatusService statuses, AccountStore accounts, MediaUrls urls, CancellationToken ct) =>
        {
            var (status, media) = await statuses.GetAsync(MastodonAuthFilter.AccountId(http), id, ct);
            return StatusJson.Result(status, media, (await accounts.FindAsync(status.AccountId))!, http.Request, urls);
        });

        read.MapGet("/accounts/verify_credentials", async (HttpContext http, AccountStore accounts) =>
            StatusJson.AccountResult((await accounts.FindAsync(MastodonAuthFilter.AccountId(http)))!, http.Request, withSource: true));

        read.MapGet("/accounts/{id}", async (string id, HttpContext http, AccountStore accounts) =>
            long.TryParse(id, out var numeric) && await accounts.FindAsync(numeric) is { } account
                ? StatusJson.AccountResult(account, http.Request, withSource: false)
                : throw MediaException.NotFound());
        return app;
    }
}
