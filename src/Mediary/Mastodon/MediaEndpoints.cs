using Mediary.Web;
using Mediary.Jobs;
using Mediary.Media;
using Microsoft.Extensions.Options;

namespace Mediary.Mastodon;

/// <summary>Mastodon's media API: thin translation between HTTP and <see cref="MediaService"/>.</summary>
public static class MediaEndpoints
{
    public static IEndpointRouteBuilder MapMastodonMedia(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api")
            .AddEndpointFilter<MastodonErrorFilter>()
            .RequireScopes("write", "write:media")
            .DisableAntiforgery();

        // v1 processes synchronously and always answers 200: it waits for video, audio and animated GIFs.
        api.MapPost("/v1/media", (HttpContext http, MediaFormReader forms, MediaService media, MediaUrls urls, IOptions<JobOptions> jobs,
            CancellationToken ct) => CreateAsync(http, forms, media, urls, TimeSpan.FromSeconds(jobs.Value.SynchronousWaitSeconds), ct))
            .AddEndpointFilter<MediaUploadThrottle>()
            .AddEndpointFilter<MediaQuotaCheck>();

        // v2 answers 200 for images at once, 202 with url null for media still processing.
        api.MapPost("/v2/media", (HttpContext http, MediaFormReader forms, MediaService media, MediaUrls urls, CancellationToken ct) =>
            CreateAsync(http, forms, media, urls, wait: null, ct))
            .AddEndpointFilter<MediaUploadThrottle>()
            .AddEndpointFilter<MediaQuotaCheck>()
            .AddEndpointFilter<RufhMediaEndpoints.CreationFilter>();

        // No X-RateLimit-* headers below: throttle_api_media matches only POST, and the general API
        // throttles that Mastodon reports on GET, PUT and DELETE are not implemented.

        // What polling clients ask most: the JSON is written once per change of the row.
        api.MapGet("/v1/media/{id}", async (string id, HttpContext http, MediaService media, MediaUrls urls, MediaJsonCache rendered,
            CancellationToken ct) =>
        {
            var found = await media.FindEditableAsync(MastodonAuthFilter.AccountId(http), id, ct);
            return MediaAttachmentJson.Result(found, http.Request, urls, rendered);
        });

        api.MapMethods("/v1/media/{id}", ["PUT", "PATCH"], async (string id, HttpContext http, MediaFormReader forms, MediaService media,
            MediaUrls urls, CancellationToken ct) =>
        {
            using var input = await forms.ReadAsync(http.Request, ct);
            var updated = await media.UpdateAsync(MastodonAuthFilter.AccountId(http), id, input, ct);
            return MediaAttachmentJson.Result(updated, http.Request, urls);
        });

        // Mediary's own (Mastodon has no quotas): the account's storage and its limit.
        app.MapGet("/api/v1/mediary/usage", async (HttpContext http, StorageQuota quota, CancellationToken ct) =>
            Results.Json(UsageJson.Of(await quota.UsageAsync(MastodonAuthFilter.AccountId(http), ct)), contentType: "application/json; charset=utf-8"))
            .AddEndpointFilter<MastodonErrorFilter>().RequireScopes("read", "read:accounts", "write", "write:media");

        api.MapDelete("/v1/media/{id}", async (string id, HttpContext http, MediaService media, CancellationToken ct) =>
        {
            await media.DeleteAsync(MastodonAuthFilter.AccountId(http), id, ct);
            return Results.Text("{}", "application/json; charset=utf-8");
        });
        return app;
    }

    private static async Task<IResult> CreateAsync(HttpContext http, MediaFormReader forms, MediaService media, MediaUrls urls,
        TimeSpan? wait, CancellationToken cancellationToken)
    {
        using var input = await forms.ReadAsync(http.Request, cancellationToken);
        var created = await media.CreateAsync(MastodonAuthFilter.AccountId(http), input, cancellationToken);
        if (wait is { } timeout) created = await media.WaitForProcessingAsync(created, timeout, cancellationToken);
        return MediaAttachmentJson.Result(created, http.Request, urls, created.IsProcessed ? StatusCodes.Status200OK : StatusCodes.Status202Accepted);
    }
}
