using Mediary.Media;
using Mediary.Storage;
using Mediary.Web;

namespace Mediary.Direct;

/// <summary>
/// The direct upload API (<c>/v1</c>): thin translation between HTTP and <see cref="DirectMediaService"/>
/// and <see cref="DirectPostService"/>. Keys, rate limits and errors are handled once, by
/// <see cref="DirectApiMiddleware"/>.
/// </summary>
public static class DirectEndpoints
{
    /// <summary>Names clients send instead of media_ids, which get a hint rather than being ignored.</summary>
    private static readonly string[] MisnamedMediaFields = ["media", "media_id", "mediaId", "attachments", "url"];

    public static IApplicationBuilder UseDirectApi(this IApplicationBuilder app) =>
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/v1"), branch => branch.UseMiddleware<DirectApiMiddleware>());

    public static IEndpointRouteBuilder MapDirectApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1").DisableAntiforgery();

        v1.MapPost("/media/upload", async (HttpContext http, DirectMediaService media, UploadSigner signer, IMediaStorage storage,
            TimeProvider clock, CancellationToken ct) =>
        {
            var body = await DirectRequests.ReadObjectAsync(http.Request, ct);
            var filename = DirectRequests.RequiredString(body, "filename");
            if (filename.Length > 255 || Path.GetExtension(filename).Length < 2)
            {
                throw DirectApiException.Validation("filename", "filename must be a file name with an extension, at most 255 characters, e.g. clip.mp4.");
            }
            var contentType = DirectRequests.RequiredString(body, "content_type");
            var size = DirectRequests.OptionalInteger(body, "size") ?? DirectRequests.OptionalInteger(body, "file_size")
                ?? throw DirectApiException.Validation("size", "size (or file_size) is required: the file's length in bytes.");
            if (size <= 0) throw DirectApiException.Validation("size", "size must be a positive number of bytes.");
            var checksum = DirectRequests.OptionalString(body, "checksum_sha256");
            if (checksum is not null && (checksum.Length != 64 || !checksum.All(Uri.IsHexDigit)))
            {
                throw DirectApiException.Validation("checksum_sha256", "checksum_sha256 must be the file's SHA-256 as 64 hex digits.");
            }

            var declared = await media.DeclareAsync(DirectApiMiddleware.AccountId(http), new DeclaredUpload(filename, contentType, size, checksum), ct);
            // A storage that takes uploads itself signs the URL; otherwise Mediary's own signed endpoint takes them.
            var signed = $"?expires={declared.ExpiresAt}&signature={signer.Sign(declared.Id, declared.DeclaredType, declared.DeclaredSize, declared.ExpiresAt)}";
            var (url, provider) = storage.PresignedUploads() is { } presigned
                ? (presigned.PresignPut(declared.UploadKey, declared.DeclaredType, declared.DeclaredSize, DateTimeOffset.FromUnixTimeSeconds(declared.ExpiresAt)),
                    presigned.Provider)
                : ($"{http.Request.Scheme}://{http.Request.Host}/v1/uploads/{declared.Id}{signed}", "local");
            // tus always goes through Mediary (the bytes wait here until the last one, then go to storage).
            var resumable = $"{http.Request.Scheme}://{http.Request.Host}{DirectResumableEndpoints.PathFor(declared.Id)}{signed}";
            return DirectEnvelope.Ok(DirectJson.Ticket(declared, url, resumable, provider, media.MaxSizeFor(declared.Kind), clock.GetUtcNow()));
        });

        // Step 2: no API key; the signature is the permission. Success is 200 with an empty body, as on S3.
        v1.MapPut("/uploads/{id}", async (string id, HttpContext http, UploadReceiver receiver, CancellationToken ct) =>
        {
            await receiver.ReceiveAsync(http, id, ct);
            return Results.Ok();
        });

        v1.MapPost("/media/{id}/complete", async (string id, HttpContext http, DirectMediaService media, CancellationToken ct) =>
            DirectEnvelope.Ok(DirectJson.Completed(await media.CompleteAsync(DirectApiMiddleware.AccountId(http), id, ct))));

        v1.MapGet("/media", async (HttpContext http, DirectMediaService media, MediaUrls urls, CancellationToken ct) =>
        {
            var kind = DirectRequests.QueryChoice(http.Request, "type", DirectKinds.Image, DirectKinds.Video, DirectKinds.Document);
            var status = DirectRequests.QueryChoice(http.Request, "status",
                DirectStates.PendingUpload, DirectStates.Processing, DirectStates.Ready, DirectStates.Failed);
            var limit = DirectRequests.QueryInteger(http.Request, "limit", 20, 1, 100);
            var offset = DirectRequests.QueryInteger(http.Request, "offset", 0, 0, int.MaxValue);
            var (items, total) = await media.ListAsync(DirectApiMiddleware.AccountId(http), kind, status, limit, offset, ct);
            var baseUrl = urls.BaseFor(http.Request);
            return DirectEnvelope.Ok(new DirectJson.MediaList(items.Select(item => DirectJson.Details(item, baseUrl)).ToList(), total, limit, offset));
        });

        v1.MapGet("/media/{id}", async (string id, HttpContext http, DirectMediaService media, MediaUrls urls, CancellationToken ct) =>
            DirectEnvelope.Ok(DirectJson.Details(await media.GetAsync(DirectApiMiddleware.AccountId(http), id, ct), urls.BaseFor(http.Request))));

        v1.MapDelete("/media/{id}", async (string id, HttpContext http, DirectMediaService media, CancellationToken ct) =>
        {
            await media.DeleteAsync(DirectApiMiddleware.AccountId(http), id, ct);
            return DirectEnvelope.Ok(new { media_id = id, deleted = true });
        });

        v1.MapPost("/posts", async (HttpContext http, DirectPostService posts, CancellationToken ct) =>
        {
            var body = await DirectRequests.ReadObjectAsync(http.Request, ct);
            if (MisnamedMediaFields.FirstOrDefault(name => body.TryGetProperty(name, out _)) is { } misnamed)
            {
                throw new DirectApiException(DirectErrorCodes.InvalidFieldName,
                    $"Unknown field \"{misnamed}\": did you mean media_ids? Pass \"media_ids\": [\"<media_id>\", ...].", misnamed);
            }
            var content = DirectRequests.OptionalString(body, "content") ?? "";
            var mediaIds = DirectRequests.OptionalStringArray(body, "media_ids");
            var post = await posts.CreateAsync(DirectApiMiddleware.AccountId(http), content, mediaIds, ct);
            return DirectEnvelope.Ok(DirectJson.ForPost(post), StatusCodes.Status201Created);
        });

        v1.MapGet("/posts/{id}", async (string id, HttpContext http, DirectPostService posts, CancellationToken ct) =>
            DirectEnvelope.Ok(DirectJson.ForPost(await posts.GetAsync(DirectApiMiddleware.AccountId(http), id, ct))));

        v1.MapDelete("/posts/{id}", async (string id, HttpContext http, DirectPostService posts, CancellationToken ct) =>
        {
            await posts.DeleteAsync(DirectApiMiddleware.AccountId(http), id, ct);
            return DirectEnvelope.Ok(new { id, deleted = true });
        });

        v1.MapGet("/usage", async (HttpContext http, StorageQuota quota, CancellationToken ct) =>
            DirectEnvelope.Ok(UsageJson.Of(await quota.UsageAsync(DirectApiMiddleware.AccountId(http), ct))));
        return app;
    }
}
