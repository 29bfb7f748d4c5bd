using System.Globalization;
using Mediary.Configuration;
using Mediary.Media;
using Mediary.Resumable;
using Mediary.Web;
using Microsoft.Extensions.Options;

namespace Mediary.Mastodon;

/// <summary>
/// tus 1.0.0 on the Mastodon face, at <c>/api/v2/media/uploads</c> (Mediary's own path): with a
/// token holding <c>write:media</c>, a client creates an upload (<c>Upload-Metadata</c> may carry
/// <c>filename</c>, <c>description</c> and <c>focus</c>), sends its bytes in as many <c>PATCH</c>es
/// as it needs, and when the last byte arrives the file becomes a media exactly as
/// <c>POST /api/v2/media</c> would make it: same checks, limits and errors. Its id comes back in
/// <c>Mediary-Media-Id</c>, on that <c>PATCH</c> and on <c>HEAD</c>.
/// </summary>
public static class ResumableMediaEndpoints
{
    public const string Face = "mastodon";
    public const string MediaIdHeader = "Mediary-Media-Id";

    // The refusals, with the texts the OpenAPI document shows.
    internal const string LengthRequired = "Upload-Length must be the file's size in bytes";
    internal const string DeferredLength = "Upload-Defer-Length is not supported: send Upload-Length";
    internal const string BadMetadata = "Upload-Metadata must be comma-separated keys with base64 values";
    internal const string OffsetRequired = "Upload-Offset must be the offset the bytes start at";
    internal const string WrongContentType = $"Content-Type must be {Tus.OffsetContentType}";
    internal const string BadChecksum = $"Upload-Checksum must be one of {Tus.ChecksumAlgorithms} and a base64 digest";
    internal const string ChecksumMismatch = "Checksum Mismatch: the bytes are not the ones Upload-Checksum describes";
    internal const string TakenOver = "Another request took this upload over";
    internal const string WrongVersion = $"Tus-Resumable must be {Tus.Version}";

    internal static string OffsetMismatch(long sent, long at) =>
        string.Create(CultureInfo.InvariantCulture, $"Upload-Offset is {sent}, but the upload is at {at}");

    internal static string BodyTooLong(long room) =>
        string.Create(CultureInfo.InvariantCulture, $"The body is longer than the {room} bytes left of Upload-Length");

    public static IEndpointRouteBuilder MapMastodonResumableMedia(this IEndpointRouteBuilder app)
    {
        // Discovery needs no token: it says what the server offers, nothing about anyone.
        app.MapMethods("/api/v2/media/uploads", ["OPTIONS"], (HttpContext http, IOptions<MediaLimitsOptions> limits) =>
        {
            Tus.WriteDiscovery(http.Response, MaxSize(limits.Value));
            return Results.NoContent();
        });
        app.MapMethods("/api/v2/media/uploads/{id}", ["OPTIONS"], (HttpContext http, IOptions<MediaLimitsOptions> limits) =>
        {
            Tus.WriteDiscovery(http.Response, MaxSize(limits.Value));
            return Results.NoContent();
        });

        var tus = app.MapGroup("/api/v2/media/uploads")
            .AddEndpointFilter<TusVersionFilter>()
            .AddEndpointFilter<MastodonErrorFilter>()
            .RequireScopes("write", "write:media")
            .DisableAntiforgery();

        tus.MapPost("", CreateAsync).AddEndpointFilter<MediaUploadThrottle>();
        tus.MapMethods("/{id}", ["HEAD"], HeadAsync);
        tus.MapPatch("/{id}", PatchAsync);
        tus.MapDelete("/{id}", DeleteAsync);
        return app;
    }

    private static async Task<IResult> CreateAsync(HttpContext http, ResumableUploads uploads, MediaService media, StorageQuota quota,
        IOptions<MediaLimitsOptions> limits, MediaUrls urls, CancellationToken cancellationToken)
    {
        var request = http.Request;
        if (Tus.NonNegative(request.Headers["Upload-Length"]) is not { } length)
        {
            return MastodonErrors.Error(StatusCodes.Status400BadRequest,
                request.Headers.ContainsKey("Upload-Defer-Length") ? DeferredLength : LengthRequired);
        }
        if (length > MaxSize(limits.Value)) return MastodonErrors.From(MediaException.TooLarge());
        var metadata = Tus.ParseMetadata(request.Headers["Upload-Metadata"]);
        if (metadata is null) return MastodonErrors.Error(StatusCodes.Status400BadRequest, BadMetadata);
        var details = Details(metadata);
        if (UploadRules.DescriptionError(details.Description, limits.Value.DescriptionLimit) is { } tooLong)
        {
            throw MediaException.ValidationFailed([tooLong]);
        }
        var accountId = MastodonAuthFilter.AccountId(http);
        await quota.EnsureRoomAsync(accountId, length, countReservations: true, cancellationToken);

        ResumableUpload upload;
        try
        {
            upload = await uploads.CreateAsync(accountId, Face, length, request.Headers["Upload-Metadata"], directId: null, cancellationToken);
        }
        catch (TooManyOpenUploadsException e)
        {
            return MastodonErrors.Error(StatusCodes.Status429TooManyRequests, e.Message);
        }
        var location = $"{urls.ServerBaseFor(request)}/api/v2/media/uploads/{upload.Id}";

        // creation-with-upload: the first bytes may come with the creation.
        if (request.ContentType == Tus.OffsetContentType && (request.ContentLength is > 0 || request.ContentLength is null))
        {
            var taken = await uploads.TakeAsync(upload.Id, accountId, Face, http.RequestAborted);
            if (taken is { } held)
            {
                using var lease = held.Lease;
                Tus.TryParseChecksum(request.Headers["Upload-Checksum"], out var checksum);
                var answer = await AppendAsync(http, uploads, media, limits.Value, held.Upload, checksum, lease.Stop, cancellationToken);
                if (answer.Refusal is not null) return answer.Refusal;
                upload = answer.Upload;
            }
        }
        http.Response.Headers.Location = location;
        Tus.WriteState(http.Response, upload);
        if (upload.MediaId is { } id) http.Response.Headers[MediaIdHeader] = id;
        return Results.StatusCode(StatusCodes.Status201Created);
    }

    private static async Task<IResult> HeadAsync(string id, HttpContext http, ResumableUploads uploads)
    {
        // Taking the upload stops a request still writing to it, so the offset answered is final.
        if (await uploads.TakeAsync(id, MastodonAuthFilter.AccountId(http), Face, http.RequestAborted) is not { } held) return NotFound();
        using var lease = held.Lease;
        Tus.WriteState(http.Response, held.Upload);
        if (held.Upload.Metadata is { } metadata) http.Response.Headers["Upload-Metadata"] = metadata;
        if (held.Upload.MediaId is { } mediaId) http.Response.Headers[MediaIdHeader] = mediaId;
        http.Response.Headers.CacheControl = "no-store";
        return Results.Ok();
    }

    private static async Task<IResult> PatchAsync(string id, HttpContext http, ResumableUploads uploads, MediaService media,
        IOptions<MediaLimitsOptions> limits, CancellationToken cancellationToken)
    {
        switch (Tus.ParsePatch(http.Request, out var offset, out var checksum))
        {
            case Tus.PatchFault.WrongContentType: return MastodonErrors.Error(StatusCodes.Status415UnsupportedMediaType, WrongContentType);
            case Tus.PatchFault.NoOffset: return MastodonErrors.Error(StatusCodes.Status400BadRequest, OffsetRequired);
            case Tus.PatchFault.BadChecksum: return MastodonErrors.Error(StatusCodes.Status400BadRequest, BadChecksum);
        }
        if (await uploads.TakeAsync(id, MastodonAuthFilter.AccountId(http), Face, http.RequestAborted) is not { } held) return NotFound();
        using var lease = held.Lease;
        var upload = held.Upload;
        if (offset != upload.Offset)
        {
            Tus.WriteState(http.Response, upload);
            return MastodonErrors.Error(StatusCodes.Status409Conflict, OffsetMismatch(offset, upload.Offset));
        }
        if (upload.State == ResumableStates.Done)
        {
            // A repeat of the last PATCH, whose answer was lost: nothing more to take.
            Tus.WriteState(http.Response, upload);
            http.Response.Headers[MediaIdHeader] = upload.MediaId;
            return Results.NoContent();
        }
        var answer = await AppendAsync(http, uploads, media, limits.Value, upload, checksum, lease.Stop, cancellationToken);
        if (answer.Refusal is not null) return answer.Refusal;
        Tus.WriteState(http.Response, answer.Upload);
        if (answer.Upload.MediaId is { } mediaId) http.Response.Headers[MediaIdHeader] = mediaId;
        return Results.NoContent();
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext http, ResumableUploads uploads, CancellationToken cancellationToken)
    {
        if (await uploads.TakeAsync(id, MastodonAuthFilter.AccountId(http), Face, http.RequestAborted) is not { } held) return NotFound();
        using var lease = held.Lease;
        await uploads.RemoveAsync(held.Upload, cancellationToken);
        return Results.NoContent();
    }

    /// <summary>
    /// Takes the request's bytes; once the first ones are here, refuses a file of a type Mastodon
    /// does not take or too large for its type's own limit; once the last one is, makes the media.
    /// </summary>
    private static async Task<(ResumableUpload Upload, IResult? Refusal)> AppendAsync(HttpContext http, ResumableUploads uploads, MediaService media,
        MediaLimitsOptions limits, ResumableUpload upload, Checksum? checksum, CancellationToken stop, CancellationToken cancellationToken)
    {
        var room = upload.Length!.Value - upload.Offset;
        var before = upload.Offset;
        var result = await uploads.AppendBodyAsync(http, upload, checksum, upload.Length.Value, stop);
        switch (result.Refusal)
        {
            case AppendRefusal.ChecksumMismatch:
                Tus.WriteState(http.Response, result.Upload);
                return (result.Upload, MastodonErrors.Error(Tus.ChecksumMismatchStatus, ChecksumMismatch));
            case AppendRefusal.TooLong:
                return (result.Upload, MastodonErrors.Error(StatusCodes.Status413PayloadTooLarge, BodyTooLong(room)));
            case AppendRefusal.Superseded:
                return (result.Upload, MastodonErrors.Error(StatusCodes.Status409Conflict, TakenOver));
        }
        upload = result.Upload;
        if (before < MediaSniffer.HeaderLength && (upload.Offset >= MediaSniffer.HeaderLength || upload.IsComplete))
        {
            await RefuseEarlyAsync(uploads, upload, limits, cancellationToken);
        }
        if (!upload.IsComplete) return (upload, null);
        return (await BecomeMediaAsync(http, uploads, media, upload, cancellationToken), null);
    }

    /// <summary>The type tells the limit as soon as the first bytes are here: no need to wait for 99 MB to refuse a 20 MB JPEG.</summary>
    internal static async Task RefuseEarlyAsync(ResumableUploads uploads, ResumableUpload upload, MediaLimitsOptions limits, CancellationToken cancellationToken)
    {
        var type = MediaSniffer.Sniff(await uploads.ReadHeadAsync(upload, MediaSniffer.HeaderLength, cancellationToken));
        var policy = UploadPolicy.Mastodon(limits.ImageSizeLimit, limits.VideoSizeLimit);
        string? refusal = type is null || !policy.Accepts(type.Family)
            ? MediaMessages.ContentTypeInvalid
            : upload.Length is not { } length ? null
            : UploadRules.SizeError(length, type.Family == MediaFamily.Image ? limits.ImageSizeLimit : limits.VideoSizeLimit,
                policy.LimitIsInclusive);
        if (refusal is null) return;
        await uploads.RemoveAsync(upload, cancellationToken);
        throw MediaException.ValidationFailed([refusal]);
    }

    /// <summary>
    /// The whole file, handed to the core as <c>POST /api/v2/media</c> hands its own. A file the
    /// core refuses ends the upload; a passing trouble (an outage) leaves it whole, to be finished
    /// by repeating the last <c>PATCH</c> (empty, at its length).
    /// </summary>
    private static async Task<ResumableUpload> BecomeMediaAsync(HttpContext http, ResumableUploads uploads, MediaService media, ResumableUpload upload,
        CancellationToken cancellationToken)
    {
        var details = Details(Tus.ParseMetadata(upload.Metadata) ?? []);
        var path = await uploads.ToLocalFileAsync(upload, cancellationToken);
        using var input = new MediaInput
        {
            File = new UploadedFile(path, details.FileName, upload.Length!.Value),
            Description = details.Description,
            Focus = details.Focus,
        };
        MediaAttachment created;
        try
        {
            created = await media.CreateAsync(upload.AccountId, input, cancellationToken);
        }
        catch (MediaException e) when (e.Kind is not MediaErrorKind.Unavailable)
        {
            await uploads.RemoveAsync(upload, cancellationToken);
            throw;
        }
        return await uploads.FinishAsync(upload, created.Id.ToString(CultureInfo.InvariantCulture), cancellationToken);
    }

    private static (string? FileName, TextInput Description, TextInput Focus) Details(Dictionary<string, string?> metadata) => (
        metadata.GetValueOrDefault("filename"),
        metadata.TryGetValue("description", out var description) ? new TextInput(description) : TextInput.Absent,
        metadata.TryGetValue("focus", out var focus) ? new TextInput(focus) : TextInput.Absent);

    /// <summary>Mastodon's limits are "less than": the largest file taken is one byte under the larger one.</summary>
    internal static long MaxSize(MediaLimitsOptions limits) => limits.LargestFileSize - 1;

    internal static IResult NotFound() => MastodonErrors.Error(StatusCodes.Status404NotFound, MastodonErrors.NotFound);

    /// <summary>Every tus answer says the version; a request that speaks another is 412, with the versions served.</summary>
    private sealed class TusVersionFilter : IEndpointFilter
    {
        public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            var http = context.HttpContext;
            http.Response.Headers["Tus-Resumable"] = Tus.Version;
            if (!Tus.SpeaksVersion(http.Request))
            {
                http.Response.Headers["Tus-Version"] = Tus.Version;
                return MastodonErrors.Error(StatusCodes.Status412PreconditionFailed, WrongVersion);
            }
            return await next(context);
        }
    }
}
