using Mediary.Media;
using Mediary.Storage;
using Microsoft.Extensions.Options;

namespace Mediary.Direct;

/// <summary>Step 1's declaration, already parsed from JSON.</summary>
public sealed record DeclaredUpload(string Filename, string ContentType, long Size, string? ChecksumSha256);

/// <summary>
/// The direct face's own part of an upload's life: declare (step 1), hand the stored bytes to the
/// core at <c>complete</c> (step 3), read, list, delete, expire. What the file is, how it is checked
/// and processed, and where its state goes from there is the core's (<see cref="StoredUploadIntake"/>).
/// </summary>
public sealed class DirectMediaService(
    DirectMediaRepository repository,
    StoredUploadIntake intake,
    MediaService core,
    MediaRepository coreRecords,
    IMediaStorage storage,
    IOptions<DirectOptions> options,
    TimeProvider clock,
    StorageQuota quota,
    IDirectMediaEvents events,
    ILogger<DirectMediaService> logger)
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

    private static readonly Dictionary<string, MediaFamily> FamilyByKind = new()
    {
        [DirectKinds.Image] = MediaFamily.Image,
        [DirectKinds.Video] = MediaFamily.Video,
        [DirectKinds.Document] = MediaFamily.Document,
    };

    public static IEnumerable<string> AcceptedContentTypes => KindByContentType.Keys;

    /// <summary>
    /// How long a <c>complete</c> may hold its upload. One whose process died gives it up at this
    /// deadline; the longest verification (a 500 MB video checked, probed and its first frame made) is far shorter.
    /// </summary>
    private static readonly TimeSpan ClaimTime = TimeSpan.FromMinutes(15);

    /// <summary>How long a delete waits for a <c>complete</c> under way, and how often it looks.</summary>
    private static readonly TimeSpan DeleteWaitLimit = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan DeletePoll = TimeSpan.FromMilliseconds(100);

    private DirectOptions Options => options.Value;

    public long MaxSizeFor(string kind) => kind switch
    {
        DirectKinds.Image => Options.ImageSizeLimit,
        DirectKinds.Video => Options.VideoSizeLimit,
        _ => Options.DocumentSizeLimit,
    };

    /// <summary>The core's upload policy for a declaration: its one family, up to and including the face's limits.</summary>
    private UploadPolicy PolicyFor(DirectMedia media) => new("direct", new HashSet<MediaFamily> { FamilyByKind[media.Kind] },
        Options.ImageSizeLimit, Options.VideoSizeLimit, Options.DocumentSizeLimit, LimitIsInclusive: true, DirectId: media.Id);

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
        // The declared size is reserved until the upload completes or expires.
        await quota.EnsureRoomAsync(accountId, declared.Size, countReservations: true, cancellationToken);
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
        var (items, total) = await repository.ListAsync(accountId, kind, status, limit, offset, NowUnix, cancellationToken);
        var views = new List<DirectMediaView>(items.Count);
        foreach (var item in items) views.Add(await ViewAsync(item, cancellationToken));
        return (views, total);
    }

    /// <summary>
    /// Step 3. Idempotent: once the upload was handed over, it answers the current state. One call at
    /// a time does the work, across all API processes: it claims the upload in the database first.
    /// </summary>
    public async Task<DirectMediaView> CompleteAsync(long accountId, string id, CancellationToken cancellationToken)
    {
        var media = await FindLiveAsync(accountId, id, cancellationToken);
        if (media.State == DirectStates.Failed) throw DirectApiException.VerificationFailed(media.Failure ?? "The upload failed verification.");
        if (media.State != DirectStates.PendingUpload) return await ViewAsync(media, cancellationToken);

        var now = clock.GetUtcNow();
        if (await repository.ClaimAsync(media.Id, now.ToUnixTimeSeconds(), (now + ClaimTime).ToUnixTimeSeconds(), cancellationToken))
        {
            try
            {
                await HandOverAsync(media, cancellationToken);
                // Answered while still claimed: a delete waiting for this call cannot remove the row in between.
                return await ViewAsync(await FindLiveAsync(accountId, id, cancellationToken), cancellationToken);
            }
            finally
            {
                // Done or failed, the claim has served; an upload still pending may be completed again.
                await repository.ReleaseAsync(media.Id, CancellationToken.None);
            }
        }
        // Otherwise another call is completing it, or just did: answer what it is now ("processing" while claimed).
        return await ViewAsync(await FindLiveAsync(accountId, id, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Gives the stored bytes to the core. A refusal fails the upload for good and drops its bytes;
    /// any other failure (the client gone, an outage) leaves both as they were, for the retry.
    /// </summary>
    internal async Task HandOverAsync(DirectMedia media, CancellationToken cancellationToken)
    {
        // A crash after the core took it but before this row said so left the core's record.
        var created = await coreRecords.FindByDirectIdAsync(media.Id, cancellationToken);
        string? sniffed = null;
        if (created is null)
        {
            var upload = new StoredUpload(media.UploadKey, media.Filename, media.DeclaredType, media.DeclaredSize, media.ChecksumSha256);
            try
            {
                (created, sniffed) = await intake.CreateAsync(media.AccountId, upload, PolicyFor(media), new MediaInput(), cancellationToken);
            }
            catch (MediaException e) when (e.Kind == MediaErrorKind.SourceMissing)
            {
                throw new DirectApiException(DirectErrorCodes.UploadNotReady,
                    "No file has been uploaded yet: PUT the file to upload_url, or send all of it to resumable_upload_url, first; then call complete.");
            }
            catch (MediaException e) when (e.Kind is MediaErrorKind.Rejected or MediaErrorKind.Validation or MediaErrorKind.ProcessingFailed)
            {
                var reason = e.Kind == MediaErrorKind.Rejected ? e.Message : $"The file could not be processed as {media.Kind}: {e.Message}";
                await repository.EndAsync(media.Id, media.State, DirectStates.Failed, null, reason, CancellationToken.None);
                await storage.DeleteAllAsync([media.UploadKey], logger);
                await TellSettledAsync(media.Id);
                throw DirectApiException.VerificationFailed(reason);
            }
        }
        if (!await repository.EndAsync(media.Id, media.State, DirectStates.Completed, sniffed ?? created.FileContentType, null, CancellationToken.None))
        {
            // Deleted by its owner meanwhile: the core record would be an orphan no face shows.
            await core.DeleteAsync(created, CancellationToken.None);
            await storage.DeleteAllAsync([media.UploadKey], logger);
            return;
        }
        // Processed within complete (an image, a PDF): said now; a video is told by its job.
        if (created.Processing is ProcessingStates.Complete or ProcessingStates.Failed) await TellSettledAsync(media.Id);
    }

    private async Task TellSettledAsync(string id)
    {
        if (await repository.FindForUploadAsync(id, NowUnix, CancellationToken.None) is { } settled)
        {
            await events.SettledAsync(await ViewAsync(settled, CancellationToken.None));
        }
    }

    /// <summary>
    /// Deletes the upload, its core media and its bytes. A <c>complete</c> under way holds its claim
    /// until it has answered, and the delete waits for it (up to <see cref="DeleteWaitLimit"/>), so
    /// it never pulls the bytes from under it; then the completed media is deleted like any other.
    /// </summary>
    public async Task DeleteAsync(long accountId, string id, CancellationToken cancellationToken)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var media = await FindLiveAsync(accountId, id, cancellationToken);
        while (true)
        {
            if (media.PostId is not null) throw new DirectApiException(DirectErrorCodes.MediaInUse, "This media is attached to a post; delete the post first.");
            if (await repository.DeleteUnusedAsync(accountId, id, NowUnix, cancellationToken)) break;
            if (waited.Elapsed > DeleteWaitLimit)
            {
                throw new DirectApiException(DirectErrorCodes.MediaInUse, "This media is being completed; delete it once complete has answered.");
            }
            await Task.Delay(DeletePoll, cancellationToken);
            media = await FindLiveAsync(accountId, id, cancellationToken);
        }
        var coreMedia = await coreRecords.FindByDirectIdAsync(id, cancellationToken);
        if (coreMedia is not null) await core.DeleteAsync(coreMedia, CancellationToken.None);
        await storage.DeleteAllAsync([media.UploadKey], logger);
        // An upload never completed was no media yet: nothing to tell.
        if (media.State != DirectStates.PendingUpload) await events.DeletedAsync(new DirectMediaView(media, coreMedia));
    }

    /// <summary>Removes uploads never completed whose URL expired, record and bytes; returns how many.</summary>
    public async Task<int> RemoveExpiredAsync(CancellationToken cancellationToken)
    {
        var removed = 0;
        while (true)
        {
            var now = NowUnix;
            var batch = await repository.ListExpiredAsync(now, 100, cancellationToken);
            foreach (var id in batch)
            {
                if (!await repository.DeleteExpiredAsync(id, now, cancellationToken)) continue;
                await storage.DeleteAllAsync([DirectMedia.UploadKeyFor(id)], logger);
                removed++;
            }
            if (batch.Count < 100) return removed;
        }
    }

    /// <summary>An upload by id alone, for jobs.</summary>
    internal Task<DirectMedia?> FindAsync(string id, CancellationToken cancellationToken) =>
        repository.FindForUploadAsync(id, NowUnix, cancellationToken);

    internal Task<bool> FailAsync(DirectMedia media, string reason) =>
        repository.EndAsync(media.Id, media.State, DirectStates.Failed, null, reason, CancellationToken.None);

    private long NowUnix => clock.GetUtcNow().ToUnixTimeSeconds();

    private async Task<DirectMedia> FindLiveAsync(long accountId, string id, CancellationToken cancellationToken)
    {
        var media = Guid.TryParse(id, out var parsed) ? await repository.FindAsync(accountId, parsed.ToString(), NowUnix, cancellationToken) : null;
        // An upload never completed is gone once its URL expired, even before the sweep removes it.
        return media is null || media.IsExpired(clock.GetUtcNow()) ? throw DirectApiException.NotFound() : media;
    }

    private async Task<DirectMediaView> ViewAsync(DirectMedia media, CancellationToken cancellationToken) =>
        new(media, media.CoreId is { } coreId ? await coreRecords.FindByIdAsync(coreId, cancellationToken) : null);
}
