using System.Security.Cryptography;
using Mediary.Jobs;
using Mediary.Media;
using Mediary.Storage;
using Microsoft.Extensions.Options;

namespace Mediary.Direct;

/// <summary>Step 1's declaration, already parsed from JSON.</summary>
public sealed record DeclaredUpload(string Filename, string ContentType, long Size, string? ChecksumSha256);

/// <summary>
/// The direct face's media lifecycle: declare (step 1), receive bytes on a signed URL (step 2),
/// complete (step 3: verify, then process through the shared core), read, list, delete, expire.
/// Where the bytes wait in a bucket, <c>complete</c> checks their length with a HEAD request; an
/// image is then fetched and processed within the request, while a video or PDF is left to a job
/// that fetches, verifies and processes it (<see cref="IDirectUploadJobs"/>), so no API request
/// waits on a download of up to 500 MB.
/// </summary>
public sealed class DirectMediaService(
    DirectMediaRepository repository,
    MediaService core,
    MediaRepository coreRecords,
    DocumentPipeline documents,
    IMediaStorage storage,
    IJobQueue jobs,
    JobSignal jobSignal,
    TempFiles temp,
    IOptions<DirectOptions> options,
    TimeProvider clock,
    MediaMetrics metrics,
    ILogger<DirectMediaService> logger) : IDirectUploadJobs
{
    private static readonly Dictionary<string, string> KindByContentType = new(StringComparer.OrdinalIgnoreCase)
    {
        ["image/jpeg"] = DirectKinds.Image,
        ["image/png"] = DirectKinds.Image,
        ["image/gif"] = DirectKinds.Image,
        ["image/webp"] = DirectKinds.Image,
        ["image/heic"] = DirectKinds.Image,
        ["image/heif"] = DirectKinds.Image,
        ["video/mp4"] = DirectKinds.Video,
        ["video/quicktime"] = DirectKinds.Video,
        ["video/webm"] = DirectKinds.Video,
        ["application/pdf"] = DirectKinds.Document,
    };

    public static IEnumerable<string> AcceptedContentTypes => KindByContentType.Keys;

    /// <summary>
    /// How long a <c>complete</c> may hold its upload. One whose process died gives it up at this
    /// deadline; the longest verification (a 500 MB video fetched, probed and its first frame made) is far shorter.
    /// </summary>
    private static readonly TimeSpan ClaimTime = TimeSpan.FromMinutes(15);

    private DirectOptions Options => options.Value;

    public long MaxSizeFor(string kind) => kind switch
    {
        DirectKinds.Image => Options.ImageSizeLimit,
        DirectKinds.Video => Options.VideoSizeLimit,
        _ => Options.DocumentSizeLimit,
    };

    public async Task<DirectMedia> DeclareAsync(long accountId, DeclaredUpload declared, CancellationToken cancellationToken)
    {
        var contentType = declared.ContentType.Trim().ToLowerInvariant();
        if (!KindByContentType.TryGetValue(contentType, out var kind))
        {
            throw DirectApiException.Validation("content_type",
                $"content_type {declared.ContentType} is not accepted; use one of {string.Join(", ", AcceptedContentTypes)}.");
        }
        var limit = MaxSizeFor(kind);
        if (declared.Size > limit)
        {
            throw DirectApiException.Validation("size", $"size {declared.Size} bytes is over the {limit} byte limit for {kind} files.");
        }
        var now = clock.GetUtcNow();
        var media = new DirectMedia
        {
            Id = Guid.CreateVersion7().ToString(),
            AccountId = accountId,
            Kind = kind,
            Filename = declared.Filename,
            DeclaredType = contentType,
            DeclaredSize = declared.Size,
            ChecksumSha256 = declared.ChecksumSha256?.ToLowerInvariant(),
            State = DirectStates.PendingUpload,
            ExpiresAt = (now + Options.UploadUrlTtl).ToUnixTimeSeconds(),
            CreatedAt = DirectEnvelope.Timestamp(now),
        };
        await repository.InsertAsync(media, cancellationToken);
        return media;
    }

    public async Task<DirectMediaView> GetAsync(long accountId, string id, CancellationToken cancellationToken) =>
        await ViewAsync(await FindLiveAsync(accountId, id, cancellationToken), cancellationToken);

    public async Task<(IReadOnlyList<DirectMediaView> Items, long Total)> ListAsync(long accountId, string? kind, string? status, int limit,
        int offset, CancellationToken cancellationToken)
    {
        var (items, total) = await repository.ListAsync(accountId, kind, status, limit, offset, clock.GetUtcNow().ToUnixTimeSeconds(), cancellationToken);
        var views = new List<DirectMediaView>(items.Count);
        foreach (var item in items) views.Add(await ViewAsync(item, cancellationToken));
        return (views, total);
    }

    /// <summary>
    /// Step 3. Idempotent: once the upload was verified, it answers the current state. One call at a
    /// time does the work, across all API processes: it claims the upload in the database first.
    /// </summary>
    public async Task<DirectMediaView> CompleteAsync(long accountId, string id, CancellationToken cancellationToken)
    {
        var media = await FindLiveAsync(accountId, id, cancellationToken);
        if (media.State == DirectStates.Failed) throw DirectApiException.VerificationFailed(media.Failure ?? "The upload failed verification.");
        if (media.State != DirectStates.PendingUpload) return await ViewAsync(media, cancellationToken);

        var now = clock.GetUtcNow();
        if (!await repository.ClaimAsync(media.Id, now.ToUnixTimeSeconds(), (now + ClaimTime).ToUnixTimeSeconds(), cancellationToken))
        {
            // Another call is completing it, or just did: answer what it is now ("processing" while claimed).
            return await ViewAsync(await FindLiveAsync(accountId, id, cancellationToken), cancellationToken);
        }
        try
        {
            if (await TakenByCoreAsync(media, cancellationToken) is { } taken)
            {
                return await RecordHandoverAsync(media, taken, cancellationToken);
            }
            if (await storage.LengthAsync(media.UploadKey, cancellationToken) is not { } length)
            {
                throw new DirectApiException(DirectErrorCodes.UploadNotReady,
                    "No file has been uploaded yet: PUT the file to upload_url first, then call complete.");
            }
            if (length != media.DeclaredSize)
            {
                await FailVerificationAsync(media, $"The uploaded file is {length} bytes, but size declared {media.DeclaredSize}.");
            }
            if (media.Kind != DirectKinds.Image && storage is not ILocalMediaFiles)
            {
                await repository.QueueVerificationAsync(media.Id, jobs, cancellationToken);
                jobSignal.Notify();
                return await ViewAsync(await FindLiveAsync(accountId, id, cancellationToken), cancellationToken);
            }
            return await VerifyAndProcessAsync(media, cancellationToken);
        }
        finally
        {
            // Done or failed, the claim has served; an upload still pending may be completed again.
            await repository.ReleaseAsync(media.Id, CancellationToken.None);
        }
    }

    /// <summary>
    /// The job <c>complete</c> queued for a video or PDF in a bucket: the same verification and
    /// processing as within the request. Running it again after a crash finishes what is left.
    /// </summary>
    async Task IDirectUploadJobs.ProcessAsync(string directId, CancellationToken cancellationToken)
    {
        var media = await repository.FindForUploadAsync(directId, cancellationToken);
        if (media?.State != DirectStates.Verifying) return; // deleted meanwhile, or done
        if (await TakenByCoreAsync(media, cancellationToken) is { } taken)
        {
            await RecordHandoverAsync(media, taken, cancellationToken);
            return;
        }
        if (!await storage.ExistsAsync(media.UploadKey, cancellationToken))
        {
            await RecordFailureAsync(media, "The uploaded file disappeared before it could be verified.");
            return;
        }
        try
        {
            await VerifyAndProcessAsync(media, cancellationToken);
        }
        catch (DirectApiException e) when (e.Code == DirectErrorCodes.VerificationFailed)
        {
            // Recorded on the media, where the client reads it; nothing to retry.
            logger.LogInformation("Direct upload {Id} failed verification: {Reason}", directId, e.Message);
        }
    }

    async Task IDirectUploadJobs.FailAsync(string directId, CancellationToken cancellationToken)
    {
        if (await repository.FindForUploadAsync(directId, cancellationToken) is { State: DirectStates.Verifying } media)
        {
            await RecordFailureAsync(media, "The file could not be processed.");
        }
    }

    private async Task<DirectMediaView> VerifyAndProcessAsync(DirectMedia media, CancellationToken cancellationToken)
    {
        using var upload = await TakeUploadAsync(media, cancellationToken);
        try
        {
            // A client may PUT again to a presigned URL until it expires: what was fetched is what counts.
            var length = new FileInfo(upload.Path).Length;
            if (length != media.DeclaredSize)
            {
                throw DirectApiException.VerificationFailed($"The uploaded file is {length} bytes, but size declared {media.DeclaredSize}.");
            }
            if (media.ChecksumSha256 is { } expected && !string.Equals(await Sha256Async(upload.Path, cancellationToken), expected, StringComparison.Ordinal))
            {
                throw DirectApiException.VerificationFailed("The uploaded file's SHA-256 does not match checksum_sha256.");
            }
            media.Size = length;
            return media.Kind == DirectKinds.Document
                ? await CompleteDocumentAsync(media, upload, cancellationToken)
                : await HandOverAsync(media, upload, cancellationToken);
        }
        catch (DirectApiException e) when (e.Code == DirectErrorCodes.VerificationFailed)
        {
            await RecordFailureAsync(media, e.Message);
            throw;
        }
    }

    private async Task FailVerificationAsync(DirectMedia media, string reason)
    {
        await RecordFailureAsync(media, reason);
        throw DirectApiException.VerificationFailed(reason);
    }

    /// <summary>The media is <c>failed</c> for good, with the reason for the client; its bytes are dropped.</summary>
    private async Task RecordFailureAsync(DirectMedia media, string reason)
    {
        var from = media.State;
        media.State = DirectStates.Failed;
        media.Failure = reason;
        await repository.CompleteAsync(media, from, CancellationToken.None);
        await storage.DeleteAsync(media.UploadKey, CancellationToken.None);
    }

    private async Task<DirectMediaView> CompleteDocumentAsync(DirectMedia media, UploadedFile upload, CancellationToken cancellationToken)
    {
        if (!DocumentPipeline.LooksLikePdf(await MediaSniffer.ReadHeadAsync(upload.Path, cancellationToken)))
        {
            throw DirectApiException.VerificationFailed($"The file's content is not a PDF, but {media.DeclaredType} was declared.");
        }
        StoredDocument stored;
        try
        {
            stored = await documents.ProcessAndStoreAsync(media.Id, upload.Path, cancellationToken);
        }
        catch (DirectApiException)
        {
            metrics.Upload("direct", DirectKinds.Document, accepted: false);
            throw;
        }
        metrics.Upload("direct", DirectKinds.Document, accepted: true);
        var from = media.State;
        media.State = DirectStates.Ready;
        media.ContentType = "application/pdf";
        media.Pages = stored.Pages;
        media.FileKey = stored.FileKey;
        media.ThumbnailKey = stored.ThumbnailKey;
        if (!await repository.CompleteAsync(media, from, CancellationToken.None))
        {
            // Deleted by its owner meanwhile.
            await storage.DeleteAllAsync([stored.FileKey, stored.ThumbnailKey], logger);
        }
        await storage.DeleteAsync(media.UploadKey, CancellationToken.None);
        return new DirectMediaView(media, null, clock.GetUtcNow());
    }

    /// <summary>Images and videos: the same sniffing, limits and processing as a Mastodon upload.</summary>
    private async Task<DirectMediaView> HandOverAsync(DirectMedia media, UploadedFile upload, CancellationToken cancellationToken)
    {
        var sniffed = await MediaService.SniffAsync(upload.Path, cancellationToken);
        var family = sniffed?.Family switch
        {
            MediaFamily.Image => DirectKinds.Image,
            MediaFamily.Video or MediaFamily.VideoOrAudio => DirectKinds.Video,
            _ => null,
        };
        if (family != media.Kind)
        {
            var found = sniffed is null ? "not a supported image or video" : $"{sniffed.MimeType}";
            throw DirectApiException.VerificationFailed($"The file's content is {found}, but {media.DeclaredType} was declared.");
        }

        MediaAttachment created;
        try
        {
            using var input = new MediaInput { File = upload };
            // The core's limits are Mastodon's "less than"; the direct face allows the limit itself.
            created = await core.CreateAsync(media.AccountId, input,
                new UploadOrigin(Options.ImageSizeLimit + 1, Options.VideoSizeLimit + 1, media.Id), cancellationToken);
        }
        catch (MediaException e) when (e.Kind is MediaErrorKind.Validation or MediaErrorKind.ProcessingFailed)
        {
            throw DirectApiException.VerificationFailed($"The file could not be processed as {media.Kind}: {e.Message}");
        }
        if (created.Type == MediaTypes.Audio)
        {
            await core.DeleteAsync(created, CancellationToken.None);
            throw DirectApiException.VerificationFailed($"The file holds only audio, but {media.DeclaredType} was declared.");
        }
        media.ContentType = sniffed!.MimeType;
        return await RecordHandoverAsync(media, created, cancellationToken);
    }

    /// <summary>
    /// The core record that already took this image or video: left by a crash after the core
    /// created it but before this row said so. Null when there is none (and always for a PDF).
    /// </summary>
    private async Task<MediaAttachment?> TakenByCoreAsync(DirectMedia media, CancellationToken cancellationToken) =>
        media.Kind == DirectKinds.Document ? null : await coreRecords.FindByDirectIdAsync(media.Id, cancellationToken);

    private async Task<DirectMediaView> RecordHandoverAsync(DirectMedia media, MediaAttachment created, CancellationToken cancellationToken)
    {
        var from = media.State;
        media.State = DirectStates.Processing;
        media.ContentType ??= created.FileContentType;
        media.Size ??= media.DeclaredSize;
        if (!await repository.CompleteAsync(media, from, CancellationToken.None))
        {
            // Deleted by its owner meanwhile: the core record would be an orphan no face shows.
            await core.DeleteAsync(created, CancellationToken.None);
        }
        await storage.DeleteAsync(media.UploadKey, CancellationToken.None);
        return await ViewAsync(media, cancellationToken);
    }

    /// <summary>
    /// The uploaded bytes as a local file that processing may consume: the stored object itself
    /// where storage is local files, else a downloaded copy.
    /// </summary>
    private async Task<UploadedFile> TakeUploadAsync(DirectMedia media, CancellationToken cancellationToken)
    {
        var path = await storage.LocalFileAsync(media.UploadKey, temp.NewPath(), cancellationToken);
        return new UploadedFile(path, media.Filename, new FileInfo(path).Length);
    }

    public async Task DeleteAsync(long accountId, string id, CancellationToken cancellationToken)
    {
        var media = await FindLiveAsync(accountId, id, cancellationToken);
        if (media.PostId is not null || !await repository.DeleteUnusedAsync(accountId, id, cancellationToken))
        {
            throw new DirectApiException(DirectErrorCodes.MediaInUse, "This media is attached to a post; delete the post first.");
        }
        if (await coreRecords.FindByDirectIdAsync(id, cancellationToken) is { } coreMedia)
        {
            await core.DeleteAsync(coreMedia, CancellationToken.None);
        }
        await storage.DeleteAllAsync(media.StoredKeys, logger);
    }

    /// <summary>Removes uploads never completed whose URL expired, record and bytes; returns how many.</summary>
    public async Task<int> RemoveExpiredAsync(CancellationToken cancellationToken)
    {
        var removed = 0;
        while (true)
        {
            var now = clock.GetUtcNow().ToUnixTimeSeconds();
            var batch = await repository.ListExpiredAsync(now, 100, cancellationToken);
            foreach (var media in batch)
            {
                if (!await repository.DeleteExpiredAsync(media.Id, now, cancellationToken)) continue;
                await storage.DeleteAllAsync(media.StoredKeys, logger);
                removed++;
            }
            if (batch.Count < 100) return removed;
        }
    }

    private async Task<DirectMedia> FindLiveAsync(long accountId, string id, CancellationToken cancellationToken)
    {
        var media = Guid.TryParse(id, out var parsed) ? await repository.FindAsync(accountId, parsed.ToString(), cancellationToken) : null;
        // An upload never completed is gone once its URL expired, even before the sweep removes it.
        return media is null || media.IsExpired(clock.GetUtcNow()) ? throw DirectApiException.NotFound() : media;
    }

    private async Task<DirectMediaView> ViewAsync(DirectMedia media, CancellationToken cancellationToken)
    {
        var coreMedia = media.State == DirectStates.Processing && media.Kind != DirectKinds.Document
            ? await coreRecords.FindByDirectIdAsync(media.Id, cancellationToken)
            : null;
        return new DirectMediaView(media, coreMedia, clock.GetUtcNow());
    }

    private static async Task<string> Sha256Async(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }
}
