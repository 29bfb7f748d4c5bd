using System.Globalization;
using Mediary.Resumable;
using Microsoft.Extensions.Options;

namespace Mediary.Direct;

/// <summary>
/// Step 2 with tus 1.0.0: <c>resumable_upload_url</c>, a signed URL like <c>upload_url</c> (no API
/// key, the signature is the permission) for an upload that already exists, of the declared size:
/// a tus client given it as its upload URL asks <c>HEAD</c> for the offset and sends the rest with
/// <c>PATCH</c>. When the last byte is here the file is where a <c>PUT</c> would have left it, and
/// <c>complete</c> works the same after either.
/// </summary>
public static class DirectResumableEndpoints
{
    /// <summary>The tus extensions served here: the upload exists from the declaration, so there is no creation.</summary>
    public const string Extensions = "expiration,checksum,termination";

    public static string PathFor(string id) => $"/v1/uploads/{id}/resumable";

    public static IEndpointRouteBuilder MapDirectResumableUploads(this IEndpointRouteBuilder app)
    {
        var resumable = app.MapGroup("/v1/uploads/{id}/resumable").DisableAntiforgery();
        resumable.MapMethods("", ["OPTIONS"], (HttpContext http, IOptions<DirectOptions> options) =>
        {
            Tus.WriteDiscovery(http.Response, options.Value.LargestFileSize, Extensions);
            return Results.NoContent();
        });
        resumable.MapMethods("", ["HEAD"], HeadAsync);
        resumable.MapPatch("", PatchAsync);
        resumable.MapDelete("", DeleteAsync);
        return app;
    }

    private static async Task<IResult> HeadAsync(string id, HttpContext http, UploadReceiver receiver, ResumableUploads uploads)
    {
        var media = await AuthorizeAsync(http, id, receiver);
        var (upload, lease) = await TakeAsync(uploads, media, http.RequestAborted);
        using (lease)
        {
            Tus.WriteState(http.Response, upload);
            http.Response.Headers.CacheControl = "no-store";
            return Results.Ok();
        }
    }

    private static async Task<IResult> PatchAsync(string id, HttpContext http, UploadReceiver receiver, ResumableUploads uploads,
        CancellationToken cancellationToken)
    {
        var media = await AuthorizeAsync(http, id, receiver);
        switch (Tus.ParsePatch(http.Request, out var offset, out var checksum))
        {
            case Tus.PatchFault.WrongContentType:
                throw new DirectApiException(DirectErrorCodes.UnsupportedMediaType, $"Content-Type must be {Tus.OffsetContentType} for a tus PATCH.");
            case Tus.PatchFault.NoOffset:
                throw DirectApiException.Validation("Upload-Offset", "Upload-Offset must be the offset the bytes start at.");
            case Tus.PatchFault.BadChecksum:
                throw DirectApiException.Validation("Upload-Checksum", $"Upload-Checksum must be one of {Tus.ChecksumAlgorithms} and a base64 digest.");
        }
        var (upload, lease) = await TakeAsync(uploads, media, http.RequestAborted);
        using (lease)
        {
            if (offset != upload.Offset)
            {
                Tus.WriteState(http.Response, upload);
                throw new DirectApiException(DirectErrorCodes.OffsetMismatch,
                    string.Create(CultureInfo.InvariantCulture, $"Upload-Offset is {offset}, but the upload is at {upload.Offset}: ask HEAD where to go on from."));
            }
            if (upload.State == ResumableStates.Done)
            {
                Tus.WriteState(http.Response, upload);
                return Results.NoContent();
            }
            var room = upload.Length!.Value - upload.Offset;
            var result = await uploads.AppendBodyAsync(http, upload, checksum, upload.Length.Value, lease.Stop);
            switch (result.Refusal)
            {
                case AppendRefusal.ChecksumMismatch:
                    Tus.WriteState(http.Response, result.Upload);
                    throw new DirectApiException(DirectErrorCodes.ChecksumMismatch, "The bytes are not the ones Upload-Checksum describes; none of them was kept.");
                case AppendRefusal.TooLong:
                    throw TooLong(room);
                case AppendRefusal.Superseded:
                    throw new DirectApiException(DirectErrorCodes.OffsetMismatch, "Another request took this upload over; ask HEAD where to go on from.");
            }
            upload = result.Upload;
            if (upload.IsComplete)
            {
                // Where a PUT would have left the file: complete takes it from there.
                await uploads.MoveToStorageAsync(upload, media.UploadKey, media.DeclaredType, cancellationToken);
                upload = await uploads.FinishAsync(upload, media.Id, cancellationToken);
            }
            Tus.WriteState(http.Response, upload);
            return Results.NoContent();
        }
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext http, UploadReceiver receiver, ResumableUploads uploads,
        CancellationToken cancellationToken)
    {
        var media = await AuthorizeAsync(http, id, receiver);
        var (upload, lease) = await TakeAsync(uploads, media, http.RequestAborted);
        using (lease) await uploads.RemoveAsync(upload, cancellationToken);
        return Results.NoContent();
    }

    /// <summary>Every answer says the tus version; a request speaking another is 412; then the URL's signature decides.</summary>
    private static async Task<DirectMedia> AuthorizeAsync(HttpContext http, string id, UploadReceiver receiver)
    {
        http.Response.Headers["Tus-Resumable"] = Tus.Version;
        if (!Tus.SpeaksVersion(http.Request))
        {
            http.Response.Headers["Tus-Version"] = Tus.Version;
            throw new DirectApiException(DirectErrorCodes.TusVersionUnsupported, $"Tus-Resumable must be {Tus.Version}.");
        }
        return await receiver.AuthorizeAsync(http.Request, id, http.RequestAborted);
    }

    private static Task<(ResumableUpload Upload, UploadLeases.Lease Lease)> TakeAsync(ResumableUploads uploads, DirectMedia media,
        CancellationToken requestAborted) =>
        uploads.TakeDirectAsync(media.Id, media.AccountId, media.DeclaredSize, media.UploadKey, media.ExpiresAt, requestAborted);

    private static DirectApiException TooLong(long room) => new(DirectErrorCodes.PayloadTooLarge,
        string.Create(CultureInfo.InvariantCulture, $"The body is longer than the {room} bytes left of the declared size."));
}
