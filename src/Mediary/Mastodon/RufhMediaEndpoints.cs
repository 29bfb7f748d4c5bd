using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Mediary.Configuration;
using Mediary.Media;
using Mediary.Resumable;
using Mediary.Web;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Mediary.Mastodon;

/// <summary>
/// Resumable Uploads for HTTP (the IETF draft, interop version <see cref="Rufh.InteropVersion"/>) on
/// <c>POST /api/v2/media</c> itself: a request that says <c>Upload-Draft-Interop-Version: 8</c> and
/// <c>Upload-Complete: ?0</c> creates an upload resource (201, <c>Location</c>, <c>Upload-Limit</c>)
/// whose content is the start of the request Mastodon's clients already send; the rest comes in
/// <c>PATCH</c>es with <c>application/partial-upload</c>, and the one that completes it answers what
/// <c>POST /api/v2/media</c> would have answered for the whole request. The representation is either
/// a form (multipart, as Mastodon's clients send it) or the file itself, named by
/// <c>Content-Disposition</c>, with <c>description</c> and <c>focus</c> in the query.
/// A request without the version, or with another, or with <c>Upload-Complete: ?1</c>, is a plain
/// upload: Kestrel has no public way to send the draft's 104 interim response, so a resource that
/// the client could only learn of through one is not made.
/// </summary>
public static class RufhMediaEndpoints
{
    public const string Face = "rufh";

    public static string PathFor(string id) => $"/api/v2/media/resumable/{id}";

    // The refusals, with the texts the OpenAPI document shows.
    internal const string WrongContentType = $"Content-Type must be {Rufh.PartialUploadContentType}";
    internal const string OffsetRequired = "Upload-Offset must be the offset the bytes start at";
    internal const string CompleteRequired = "Upload-Complete must be ?0 or ?1";
    internal const string BadDigest = "Content-Digest must name sha-256 or sha-512 with a base64 digest of its length";
    internal const string DigestMismatch = "Content-Digest does not match the bytes sent; none of them was kept";
    internal const string ReprDigestMismatch = "Repr-Digest does not match the uploaded representation; the upload is removed";
    internal const string TakenOver = "Another request took this upload over";

    public static IEndpointRouteBuilder MapMastodonRufhUploads(this IEndpointRouteBuilder app)
    {
        // Discovery needs no token: the media endpoint takes partial uploads, within these limits.
        app.MapMethods("/api/v2/media", ["OPTIONS"], (HttpContext http, IOptions<MediaLimitsOptions> limits, IOptions<ResumableUploadOptions> uploads) =>
        {
            http.Response.Headers.Append("Accept-Patch", Rufh.PartialUploadContentType);
            Rufh.WriteLimit(http.Response, limits.Value.MaxMultipartBodyBytes, uploads.Value.Expiry);
            return Results.NoContent();
        });

        var resource = app.MapGroup("/api/v2/media/resumable/{id}")
            .AddEndpointFilter<MastodonErrorFilter>()
            .RequireScopes("write", "write:media")
            .DisableAntiforgery();
        resource.MapMethods("", ["HEAD"], HeadAsync);
        resource.MapPatch("", PatchAsync);
        resource.MapDelete("", DeleteAsync);
        return app;
    }

    /// <summary>Whether a request to the media endpoint starts a resumable upload rather than being one.</summary>
    public static bool StartsUpload(HttpRequest request) => Rufh.SpeaksVersion(request) && Rufh.Boolean(request.Headers["Upload-Complete"]) == false;

    /// <summary>On <c>POST /api/v2/media</c>, after its throttle and quota check: a request that starts a resumable upload goes here.</summary>
    public sealed class CreationFilter : IEndpointFilter
    {
        public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            var http = context.HttpContext;
            if (!StartsUpload(http.Request)) return await next(context);
            var services = http.RequestServices;
            return await CreateAsync(http, services.GetRequiredService<ResumableUploads>(), services.GetRequiredService<StorageQuota>(),
                services.GetRequiredService<IOptions<MediaLimitsOptions>>().Value, services.GetRequiredService<MediaUrls>(),
                services.GetRequiredService<TimeProvider>(), http.RequestAborted);
        }
    }

    /// <summary>What the creating request said about the representation, kept until its last byte is here.</summary>
    private sealed record Representation(string? ContentType, string? FileName, string? Query, string? ReprDigest, bool WantsDigest)
    {
        /// <summary>A form (multipart, urlencoded, JSON) read as Mastodon reads its request; anything else is the file itself.</summary>
        public bool IsForm => MediaTypeHeaderValue.TryParse(ContentType, out var type) &&
            (type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase) ||
             type.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) ||
             type.MediaType.EndsWith("json", StringComparison.OrdinalIgnoreCase));

        public long MaxSize(MediaLimitsOptions limits) => !IsForm ? ResumableMediaEndpoints.MaxSize(limits)
            : ContentType!.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) ? limits.MaxMultipartBodyBytes : limits.MaxBufferedBodyBytes;

        public static Representation Of(HttpRequest request)
        {
            string? fileName = null;
            if (ContentDispositionHeaderValue.TryParse(request.Headers.ContentDisposition.ToString(), out var disposition))
            {
                fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar).Value ?? HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
            }
            var digest = request.Headers["Repr-Digest"].ToString();
            return new Representation(request.ContentType, fileName, request.QueryString.Value,
                Rufh.TryDigest(digest, out var checked_) && checked_ is not null ? digest : null, request.Headers.ContainsKey("Want-Repr-Digest"));
        }
    }

    private static async Task<IResult> CreateAsync(HttpContext http, ResumableUploads uploads, StorageQuota quota, MediaLimitsOptions limits,
        MediaUrls urls, TimeProvider clock, CancellationToken cancellationToken)
    {
        var request = http.Request;
        var representation = Representation.Of(request);
        var maxSize = representation.MaxSize(limits);
        var length = Rufh.Integer(request.Headers["Upload-Length"]);
        if (length > maxSize || request.ContentLength > maxSize) return TooLarge(http, maxSize, uploads);
        if (!TryContentDigest(request, out var checksum)) return MastodonErrors.Error(StatusCodes.Status400BadRequest, BadDigest);

        var accountId = MastodonAuthFilter.AccountId(http);
        if (length is { } declared) await quota.EnsureRoomAsync(accountId, declared, countReservations: true, cancellationToken);
        ResumableUpload upload;
        try
        {
            upload = await uploads.CreateAsync(accountId, Face, length, JsonSerializer.Serialize(representation), directId: null, cancellationToken);
        }
        catch (TooManyOpenUploadsException e)
        {
            return MastodonErrors.Error(StatusCodes.Status429TooManyRequests, e.Message);
        }
        if (await uploads.TakeAsync(upload.Id, accountId, Face, http.RequestAborted) is not { } held) return ResumableMediaEndpoints.NotFound();
        using (held.Lease)
        {
            var answer = await AppendAsync(http, uploads, limits, held.Upload, representation, checksum, held.Lease.Stop, cancellationToken);
            if (answer.Refusal is not null) return answer.Refusal;
            upload = answer.Upload;
        }
        http.Response.Headers.Location = urls.ServerBaseFor(request) + PathFor(upload.Id);
        Rufh.WriteLimit(http.Response, maxSize, upload.Expires - clock.GetUtcNow());
        Rufh.WriteState(http.Response, upload);
        return Results.StatusCode(StatusCodes.Status201Created);
    }

    private static async Task<IResult> HeadAsync(string id, HttpContext http, ResumableUploads uploads, IOptions<MediaLimitsOptions> limits,
        TimeProvider clock)
    {
        // Taking the upload stops a request still writing to it, so the offset answered is final.
        if (await uploads.TakeAsync(id, MastodonAuthFilter.AccountId(http), Face, http.RequestAborted) is not { } held) return ResumableMediaEndpoints.NotFound();
        using var lease = held.Lease;
        WriteResourceState(http, held.Upload, limits.Value, clock);
        http.Response.Headers.CacheControl = "no-store";
        return Results.NoContent();
    }

    private static async Task<IResult> PatchAsync(string id, HttpContext http, ResumableUploads uploads, MediaFormReader forms, MediaService media,
        MediaUrls urls, IOptions<MediaLimitsOptions> limits, TimeProvider clock, CancellationToken cancellationToken)
    {
        var request = http.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) ||
            !type.MediaType.Equals(Rufh.PartialUploadContentType, StringComparison.OrdinalIgnoreCase))
        {
            return MastodonErrors.Error(StatusCodes.Status415UnsupportedMediaType, WrongContentType);
        }
        if (Rufh.Integer(request.Headers["Upload-Offset"]) is not { } offset) return MastodonErrors.Error(StatusCodes.Status400BadRequest, OffsetRequired);
        if (Rufh.Boolean(request.Headers["Upload-Complete"]) is not { } completes) return MastodonErrors.Error(StatusCodes.Status400BadRequest, CompleteRequired);
        if (!TryContentDigest(request, out var checksum)) return MastodonErrors.Error(StatusCodes.Status400BadRequest, BadDigest);
        if (await uploads.TakeAsync(id, MastodonAuthFilter.AccountId(http), Face, http.RequestAborted) is not { } held) return ResumableMediaEndpoints.NotFound();
        using var lease = held.Lease;
        var upload = held.Upload;
        var representation = JsonSerializer.Deserialize<Representation>(upload.Metadata!)!;
        var maxSize = representation.MaxSize(limits.Value);

        if (upload.State == ResumableStates.Done)
        {
            WriteResourceState(http, upload, limits.Value, clock);
            return request.ContentLength is 0
                ? Rufh.Problem(StatusCodes.Status400BadRequest, Rufh.CompletedUpload, "upload is already completed")
                : Rufh.Problem(StatusCodes.Status400BadRequest, Rufh.InconsistentLength, "upload is already completed: no more bytes can be added");
        }
        if (offset != upload.Offset)
        {
            WriteResourceState(http, upload, limits.Value, clock);
            return Rufh.Problem(StatusCodes.Status409Conflict, Rufh.MismatchingOffset, "offset from request does not match offset of resource",
                new() { ["expected-offset"] = upload.Offset, ["provided-offset"] = offset });
        }

        // The length, wherever it is said, must be said the same: Upload-Length, or the end of a completing body.
        var lengths = new[] { upload.Length, Rufh.Integer(request.Headers["Upload-Length"]), completes ? offset + request.ContentLength : null }
            .OfType<long>().Distinct().ToList();
        if (lengths.Count > 1) return Rufh.Problem(StatusCodes.Status400BadRequest, Rufh.InconsistentLength, "inconsistent length values for upload");
        if (lengths is [var length] && length > maxSize) return TooLarge(http, maxSize, uploads);
        if (lengths is [var known] && upload.Length is null) upload = await uploads.RecordLengthAsync(upload, known, cancellationToken);

        var answer = await AppendAsync(http, uploads, limits.Value, upload, representation, checksum, lease.Stop, cancellationToken);
        if (answer.Refusal is not null) return answer.Refusal;
        upload = answer.Upload;
        if (!completes || !answer.BodyEnded)
        {
            Rufh.WriteState(http.Response, upload);
            return Results.NoContent();
        }
        if (upload.Length is { } expected && expected != upload.Offset)
        {
            Rufh.WriteState(http.Response, upload);
            return Rufh.Problem(StatusCodes.Status400BadRequest, Rufh.InconsistentLength, "the upload ends before its Upload-Length");
        }
        if (upload.Length is null) upload = await uploads.RecordLengthAsync(upload, upload.Offset, cancellationToken);

        // From here the answer is the media endpoint's, errors included; Upload-Complete: ?1 tells the client so.
        http.Response.Headers["Upload-Complete"] = "?1";
        return await BecomeMediaAsync(http, uploads, forms, media, urls, upload, representation, cancellationToken);
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext http, ResumableUploads uploads, CancellationToken cancellationToken)
    {
        if (await uploads.TakeAsync(id, MastodonAuthFilter.AccountId(http), Face, http.RequestAborted) is not { } held) return ResumableMediaEndpoints.NotFound();
        using var lease = held.Lease;
        await uploads.RemoveAsync(held.Upload, cancellationToken);
        return Results.NoContent();
    }

    /// <summary>Takes the request's bytes; a file sent as itself is refused as soon as its first bytes tell a type Mastodon does not take.</summary>
    private static async Task<(ResumableUpload Upload, IResult? Refusal, bool BodyEnded)> AppendAsync(HttpContext http, ResumableUploads uploads,
        MediaLimitsOptions limits, ResumableUpload upload, Representation representation, Checksum? checksum, CancellationToken stop,
        CancellationToken cancellationToken)
    {
        var maxSize = representation.MaxSize(limits);
        var before = upload.Offset;
        var result = await uploads.AppendBodyAsync(http, upload, checksum, maxSize, stop);
        switch (result.Refusal)
        {
            case AppendRefusal.ChecksumMismatch:
                Rufh.WriteState(http.Response, result.Upload);
                return (result.Upload, MastodonErrors.Error(StatusCodes.Status400BadRequest, DigestMismatch), false);
            case AppendRefusal.TooLong:
                return (result.Upload, TooLarge(http, maxSize, uploads), false);
            case AppendRefusal.Superseded:
                return (result.Upload, MastodonErrors.Error(StatusCodes.Status409Conflict, TakenOver), false);
        }
        upload = result.Upload;
        if (!representation.IsForm && before < MediaSniffer.HeaderLength && upload.Offset >= Math.Min(MediaSniffer.HeaderLength, upload.Length ?? long.MaxValue))
        {
            await ResumableMediaEndpoints.RefuseEarlyAsync(uploads, upload, limits, cancellationToken);
        }
        return (upload, null, result.BodyEnded);
    }

    /// <summary>
    /// The whole representation, read as <c>POST /api/v2/media</c> reads its request, and the answer
    /// that request would have had. A representation the core refuses ends the upload; a passing
    /// trouble (an outage) leaves it whole, to be finished by an empty completing <c>PATCH</c>.
    /// </summary>
    private static async Task<IResult> BecomeMediaAsync(HttpContext http, ResumableUploads uploads, MediaFormReader forms, MediaService media,
        MediaUrls urls, ResumableUpload upload, Representation representation, CancellationToken cancellationToken)
    {
        var path = await uploads.ToLocalFileAsync(upload, cancellationToken);
        MediaInput input;
        try
        {
            if (!await CheckDigestAsync(http, path, representation, cancellationToken))
            {
                File.Delete(path);
                await uploads.RemoveAsync(upload, cancellationToken);
                return MastodonErrors.Error(StatusCodes.Status400BadRequest, ReprDigestMismatch);
            }
            var query = QueryHelpers.ParseQuery(representation.Query);
            if (representation.IsForm)
            {
                await using var body = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
                input = await forms.ReadStoredAsync(representation.ContentType, body, query, cancellationToken);
                File.Delete(path);
            }
            else
            {
                input = new MediaInput
                {
                    File = new UploadedFile(path, representation.FileName, upload.Length!.Value),
                    Description = query.TryGetValue("description", out var description) ? new TextInput(description.ToString()) : TextInput.Absent,
                    Focus = query.TryGetValue("focus", out var focus) ? new TextInput(focus.ToString()) : TextInput.Absent,
                };
            }
        }
        catch (MediaException)
        {
            File.Delete(path);
            await uploads.RemoveAsync(upload, cancellationToken);
            throw;
        }

        using (input)
        {
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
            var id = created.Id.ToString(CultureInfo.InvariantCulture);
            await uploads.FinishAsync(upload, id, cancellationToken);
            http.Response.Headers[ResumableMediaEndpoints.MediaIdHeader] = id;
            return MediaAttachmentJson.Result(created, http.Request, urls, created.IsProcessed ? StatusCodes.Status200OK : StatusCodes.Status202Accepted);
        }
    }

    /// <summary>Checks the creation's Repr-Digest, and answers one when asked (Want-Repr-Digest).</summary>
    private static async Task<bool> CheckDigestAsync(HttpContext http, string path, Representation representation, CancellationToken cancellationToken)
    {
        Rufh.TryDigest(representation.ReprDigest, out var expected);
        if (expected is null && !representation.WantsDigest) return true;
        var algorithm = expected?.Algorithm ?? HashAlgorithmName.SHA256;
        byte[] digest;
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous))
        {
            digest = algorithm == HashAlgorithmName.SHA512
                ? await SHA512.HashDataAsync(file, cancellationToken)
                : await SHA256.HashDataAsync(file, cancellationToken);
        }
        if (representation.WantsDigest) http.Response.Headers["Repr-Digest"] = Rufh.DigestField(algorithm, digest);
        return expected is null || CryptographicOperations.FixedTimeEquals(digest, expected.Expected);
    }

    private static bool TryContentDigest(HttpRequest request, out Checksum? checksum) =>
        Rufh.TryDigest(request.Headers["Content-Digest"], out checksum);

    private static void WriteResourceState(HttpContext http, ResumableUpload upload, MediaLimitsOptions limits, TimeProvider clock)
    {
        Rufh.WriteState(http.Response, upload);
        var representation = JsonSerializer.Deserialize<Representation>(upload.Metadata!)!;
        Rufh.WriteLimit(http.Response, representation.MaxSize(limits), upload.State == ResumableStates.Open ? upload.Expires - clock.GetUtcNow() : null);
        if (upload.MediaId is { } mediaId) http.Response.Headers[ResumableMediaEndpoints.MediaIdHeader] = mediaId;
    }

    /// <summary>413 with the limit that was passed, as the draft asks.</summary>
    private static IResult TooLarge(HttpContext http, long maxSize, ResumableUploads uploads)
    {
        Rufh.WriteLimit(http.Response, maxSize, uploads.Options.Expiry);
        return MastodonErrors.From(MediaException.TooLarge());
    }
}
