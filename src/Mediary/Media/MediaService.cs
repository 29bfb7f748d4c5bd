using Mediary.Configuration;
using Mediary.Data;
using Mediary.Jobs;
using Mediary.Processing;
using Mediary.Storage;
using Mediary.Telemetry;
using Microsoft.Extensions.Options;

namespace Mediary.Media;

/// <summary>
/// The media core shared by both API faces: receive → sniff → validate → process → store, and the
/// lookups, edits and deletions that follow.
/// </summary>
public sealed class MediaService(
    MediaRepository repository,
    ImageUploadPipeline images,
    VideoUploadPipeline videos,
    ThumbnailPipeline thumbnails,
    DocumentUploadPipeline documents,
    IJobQueue jobs,
    IMediaStorage storage,
    IOptions<MediaLimitsOptions> limits,
    AccountTurns turns,
    StorageQuota quota,
    MediaMetrics metrics,
    IMediaEvents events,
    ILogger<MediaService> logger)
{
    private readonly MediaLimitsOptions _limits = limits.Value;

    /// <summary>A Mastodon upload, with Mastodon's limits.</summary>
    public Task<MediaAttachment> CreateAsync(long accountId, MediaInput input, CancellationToken cancellationToken) =>
        CreateAsync(accountId, input, UploadPolicy.Mastodon(_limits.ImageSizeLimit, _limits.VideoSizeLimit), cancellationToken);

    public Task<MediaAttachment> CreateAsync(long accountId, MediaInput input, UploadPolicy policy, CancellationToken cancellationToken) =>
        CountedAsync(policy, () => CreateCheckedAsync(accountId, input, policy, cancellationToken));

    /// <summary>Counts the outcome of an upload by face and type.</summary>
    internal async Task<MediaAttachment> CountedAsync(UploadPolicy policy, Func<Task<MediaAttachment>> create)
    {
        using var span = MediaryTraces.Source.StartActivity("media.upload");
        span?.SetTag("mediary.face", policy.Face);
        try
        {
            var media = await create();
            metrics.Upload(policy.Face, media.Type, accepted: true);
            span?.SetTag("mediary.media.id", media.Id);
            span?.SetTag("mediary.media.type", media.Type);
            span?.SetTag("mediary.upload.result", "accepted");
            // Processed at once (an image): said now. A direct upload is the direct face's to tell.
            if (media.IsProcessed && media.DirectId is null) await events.ProcessingEndedAsync(media);
            return media;
        }
        catch (MediaException e)
        {
            metrics.Upload(policy.Face, "unknown", accepted: false);
            span?.SetTag("mediary.upload.result", "refused");
            span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, e.Message);
            throw;
        }
        catch (Exception e)
        {
            span.Failed(e);
            throw;
        }
    }

    private async Task<MediaAttachment> CreateCheckedAsync(long accountId, MediaInput input, UploadPolicy policy, CancellationToken cancellationToken)
    {
        if (input.FileNotUsable) throw MediaException.ValidationFailed([MediaMessages.ContentTypeInvalid]);
        if (input.File is null) throw MediaException.ValidationFailed([MediaMessages.FileBlank]);

        var type = await SniffAsync(input.File.Path, cancellationToken);
        if (type is null || !policy.Accepts(type.Family))
        {
            throw MediaException.ValidationFailed(WithDescriptionError([MediaMessages.ContentTypeInvalid], input));
        }
        return await CreateSniffedAsync(accountId, input, type, policy, declaredType: null, completesReservation: false, cancellationToken);
    }

    /// <summary>
    /// An upload whose type is known and accepted by <paramref name="policy"/>. A stored upload's
    /// <paramref name="declaredType"/> words the refusal of audio where the policy wants a picture;
    /// <paramref name="completesReservation"/>: it was declared beforehand (the direct face), so its
    /// own reservation is not counted against the quota a second time.
    /// </summary>
    internal async Task<MediaAttachment> CreateSniffedAsync(long accountId, MediaInput input, SniffedType type, UploadPolicy policy,
        string? declaredType, bool completesReservation, CancellationToken cancellationToken)
    {
        var file = input.File!;
        await quota.EnsureRoomAsync(accountId, file.Length, countReservations: !completesReservation, cancellationToken);
        using var turn = await turns.EnterAsync(accountId, cancellationToken);
        if (type.Family == MediaFamily.Image)
        {
            using var image = await images.PrepareAsync(file, type, cancellationToken);
            // A GIF is validated as an image (16 MB, GIF pixel limit), then becomes a gifv.
            return image.IsAnimatedGif
                ? await CreateVideoAsync(accountId, input, VideoUploadPipeline.FromAnimatedGif(image), policy.ImageSizeLimit, policy, cancellationToken)
                : await CreateImageAsync(accountId, input, image, policy, cancellationToken);
        }
        if (type.Family == MediaFamily.Document) return await CreateDocumentAsync(accountId, input, policy, cancellationToken);
        var video = await videos.PrepareAsync(file, type, cancellationToken);
        try
        {
            if (UploadRules.AudioOnlyError(video.MediaType == MediaTypes.Audio, policy.AcceptsAudio, declaredType ?? type.MimeType) is { } audioOnly)
            {
                throw MediaException.Rejected(audioOnly);
            }
            return await CreateVideoAsync(accountId, input, video, policy.VideoSizeLimit, policy, cancellationToken);
        }
        finally
        {
            await video.DiscardFrameAsync();
        }
    }

    private async Task<MediaAttachment> CreateDocumentAsync(long accountId, MediaInput input, UploadPolicy policy, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        if (UploadRules.SizeError(input.File!.Length, policy.DocumentSizeLimit, policy.LimitIsInclusive) is { } tooBig) errors.Add(tooBig);
        WithDescriptionError(errors, input);
        if (input.Thumbnail is not null) errors.Add(MediaMessages.ThumbnailMustBeBlank);
        if (errors.Count > 0) throw MediaException.ValidationFailed(errors);

        var media = NewMedia(accountId, input, MediaTypes.Document, ProcessingStates.Complete, policy);
        var stored = await documents.ProcessAndStoreAsync(media, input.File, cancellationToken);
        await InsertOrUndoAsync(media, stored);
        return media;
    }

    /// <summary>Writes the record of files just stored; if that fails, the files go again.</summary>
    private async Task InsertOrUndoAsync(MediaAttachment media, IReadOnlyList<string> stored)
    {
        try
        {
            await repository.InsertAsync(media, CancellationToken.None);
        }
        catch
        {
            await storage.DeleteAllAsync(stored, logger);
            throw;
        }
    }

    private async Task<MediaAttachment> CreateImageAsync(long accountId, MediaInput input, PreparedImage prepared, UploadPolicy policy,
        CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        if (UploadRules.SizeError(prepared.File.Length, policy.ImageSizeLimit, policy.LimitIsInclusive) is { } tooBig) errors.Add(tooBig);
        WithDescriptionError(errors, input);
        if (input.Thumbnail is not null) errors.Add(MediaMessages.ThumbnailMustBeBlank);
        if (errors.Count > 0) throw MediaException.ValidationFailed(errors);
        var focus = FocusParser.Parse(input.Focus);

        var media = NewMedia(accountId, input, MediaTypes.Image, ProcessingStates.Complete, policy);
        var stored = await images.ProcessAndStoreAsync(media, prepared, media.FileName!, cancellationToken);
        SetFocus(media, focus);
        await InsertOrUndoAsync(media, stored);
        return media;
    }

    /// <summary>Video, audio and animated GIFs: checked and staged now, processed by a durable job.</summary>
    private async Task<MediaAttachment> CreateVideoAsync(long accountId, MediaInput input, PreparedVideo video, long sizeLimit,
        UploadPolicy policy, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        // The size as uploaded: an animated GIF's source is its clean copy.
        if (UploadRules.SizeError(input.File!.Length, sizeLimit, policy.LimitIsInclusive) is { } tooBig) errors.Add(tooBig);
        WithDescriptionError(errors, input);
        // Mastodon: a thumbnail only for audio and video (not gifv).
        if (input.Thumbnail is not null && video.MediaType == MediaTypes.Gifv) errors.Add(MediaMessages.ThumbnailMustBeBlank);
        if (errors.Count > 0) throw MediaException.ValidationFailed(errors);
        var focus = FocusParser.Parse(input.Focus);

        var media = NewMedia(accountId, input, video.MediaType, ProcessingStates.Queued, policy);
        media.FileContentType = video.Type.MimeType;
        SetFocus(media, focus);
        var stored = new List<string> { await videos.StageSourceAsync(media, video, cancellationToken) };
        try
        {
            if (input.Thumbnail is not null)
            {
                var thumbnail = await thumbnails.RenderAsync(media.Id, input.Thumbnail, cancellationToken);
                stored.Add(thumbnail.Key);
                thumbnail.Apply(media);
            }
            await repository.InsertWithJobAsync(media, jobs, CancellationToken.None);
        }
        catch
        {
            // A source read in place is the caller's upload, kept for a retry.
            await storage.DeleteAllAsync(stored.Where(key => key != video.File.StoredKey), logger);
            throw;
        }

        // The job is under way; the preview is made meanwhile, and the answer waits for it.
        if (video.MediaType == MediaTypes.Audio) return media;
        try
        {
            var preview = await videos.MakePreviewAsync(media, video, cancellationToken);
            var completed = false;
            var updated = await repository.ModifyAsync(media.Id, current =>
            {
                preview.Apply(current);
                completed = current.CompleteIfTranscoded();
            }, CancellationToken.None);
            if (updated is null)
            {
                await storage.DeleteAllAsync([preview.Key], logger);
                throw MediaException.NotFound();
            }
            // The job was quicker and left the media for this preview to finish.
            if (completed) await events.ProcessingEndedAsync(updated);
            // Answered as handed over (queued), like Mastodon's v2: the job may already be done,
            // and the client's next GET says so.
            preview.Apply(media);
            return media;
        }
        catch (Exception e) when (e is not MediaException { Kind: MediaErrorKind.NotFound })
        {
            await AbandonAsync(media);
            throw;
        }
    }

    /// <summary>
    /// Removes an upload whose preview failed after its job was queued: the row first (the job then
    /// finds none and drops its output), then every file, including the job's output if it was
    /// quicker than the preview.
    /// </summary>
    private async Task AbandonAsync(MediaAttachment media)
    {
        var current = await repository.FindByIdAsync(media.Id, CancellationToken.None) ?? media;
        await repository.DeleteUnattachedAsync(media.AccountId, media.Id, CancellationToken.None);
        var outputs = new[] { "mp4", "mp3" }.Select(extension => MediaKeys.Original(media.Id, media.FileName!, extension));
        await storage.DeleteAllAsync([.. current.StoredKeys, .. media.StoredKeys, .. outputs, MediaKeys.Small(media.Id, media.FileName!, "png")], logger);
    }

    /// <summary>
    /// Waits until background processing of <paramref name="media"/> ends (v1 create is synchronous);
    /// a failure is Mastodon's processing error.
    /// </summary>
    public async Task<MediaAttachment> WaitForProcessingAsync(MediaAttachment media, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        var delay = TimeSpan.FromMilliseconds(50);
        while (!media.IsProcessed)
        {
            if (media.Processing == ProcessingStates.Failed || DateTime.UtcNow > deadline) throw MediaException.ProcessingFailed();
            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(500, delay.TotalMilliseconds * 1.5));
            media = await repository.FindByIdAsync(media.Id, cancellationToken) ?? throw MediaException.NotFound();
        }
        return media;
    }

    internal static MediaAttachment NewMedia(long accountId, MediaInput input, string type, string processing, UploadPolicy policy)
    {
        var now = DateTimeOffset.UtcNow.ToString("O");
        return new MediaAttachment
        {
            Id = Data.SnowflakeId.Next(),
            AccountId = accountId,
            Type = type,
            Processing = processing,
            FileName = MediaKeys.RandomName(),
            Description = input.Description.Value,
            DirectId = policy.DirectId,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    internal static void SetFocus(MediaAttachment media, FocusPoint? focus)
    {
        if (focus is null) return;
        (media.Meta ??= new()).Focus = focus;
    }

    /// <summary>
    /// Mastodon's show/update lookup: the account's own media, not attached to a status; then
    /// check_processing: media whose processing failed answer 422 on show and update.
    /// </summary>
    public async Task<MediaAttachment> FindEditableAsync(long accountId, string id, CancellationToken cancellationToken)
    {
        var media = await FindOwnAsync(accountId, id, cancellationToken);
        if (media.StatusId is not null) throw MediaException.NotFound();
        return media.Processing == ProcessingStates.Failed ? throw MediaException.ProcessingFailed() : media;
    }

    /// <summary>
    /// A page of the account's media not attached to a status, newest first: those that
    /// <see cref="FindEditableAsync"/> finds, and failed ones too. <paramref name="type"/> is a
    /// Mastodon type; <paramref name="state"/> one of <see cref="ListingStates"/>.
    /// </summary>
    public Task<IReadOnlyList<MediaAttachment>> ListUnattachedAsync(long accountId, string? type, string? state, IdPage page,
        CancellationToken cancellationToken)
    {
        if (type is not null && type is not (MediaTypes.Image or MediaTypes.Video or MediaTypes.Gifv or MediaTypes.Audio))
            throw MediaException.Invalid("Validation failed: Type is not included in the list");
        if (state is not null && !ListingStates.ContainsKey(state)) throw MediaException.Invalid("Validation failed: State is not included in the list");
        return repository.ListUnattachedByAccountAsync(accountId, type, state is null ? null : ListingStates[state], page, cancellationToken);
    }

    /// <summary>
    /// The states a client sees, and the processing states behind each: processing while queued or
    /// in progress (GET /api/v1/media/:id answers 206, url null), ready once complete (200), failed
    /// when it failed for good (422).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> ListingStates = new Dictionary<string, string[]>
    {
        ["processing"] = [ProcessingStates.Queued, ProcessingStates.InProgress],
        ["ready"] = [ProcessingStates.Complete],
        ["failed"] = [ProcessingStates.Failed],
    };

    public async Task<MediaAttachment> UpdateAsync(long accountId, string id, MediaInput input, CancellationToken cancellationToken) =>
        await UpdateAsync(await FindEditableAsync(accountId, id, cancellationToken), input, cancellationToken);

    /// <summary>
    /// PUT /api/v1/statuses/:id's media_attributes[]: edits media attached to that status (which
    /// only ever takes processed media, so there is no failed state to check).
    /// </summary>
    public async Task<MediaAttachment> UpdateAttachedAsync(long accountId, long id, long statusId, MediaInput input, CancellationToken cancellationToken)
    {
        var media = await repository.FindAsync(accountId, id, cancellationToken);
        return media is not null && media.StatusId == statusId
            ? await UpdateAsync(media, input, cancellationToken)
            : throw MediaException.NotFound();
    }

    private async Task<MediaAttachment> UpdateAsync(MediaAttachment media, MediaInput input, CancellationToken cancellationToken)
    {
        var errors = WithDescriptionError([], input);
        if (input.Thumbnail is not null && media.Type is MediaTypes.Image or MediaTypes.Gifv) errors.Add(MediaMessages.ThumbnailMustBeBlank);
        if (errors.Count > 0) throw MediaException.ValidationFailed(errors);
        var focus = FocusParser.Parse(input.Focus);

        var thumbnail = input.Thumbnail is null ? null : await thumbnails.RenderAsync(media.Id, input.Thumbnail, cancellationToken);
        string? replaced = null;
        var updated = await repository.ModifyAsync(media.Id, current =>
        {
            // An explicit null clears the description, as Rails assigns whatever was sent.
            if (input.Description.Given) current.Description = input.Description.Value;
            if (thumbnail is not null) replaced = thumbnail.Apply(current);
            SetFocus(current, focus);
        }, cancellationToken);
        if (updated is null)
        {
            if (thumbnail is not null) await storage.DeleteAllAsync([thumbnail.Key], logger);
            throw MediaException.NotFound();
        }
        await storage.DeleteAllAsync([replaced], logger);
        return updated;
    }

    public async Task DeleteAsync(long accountId, string id, CancellationToken cancellationToken) =>
        await DeleteAsync(await FindOwnAsync(accountId, id, cancellationToken), cancellationToken);

    /// <summary>Deletes an unattached media and its files (a queued job then finds no row and ends).</summary>
    public async Task DeleteAsync(MediaAttachment media, CancellationToken cancellationToken)
    {
        var keysAtDeletion = media.StatusId is null ? await repository.DeleteUnattachedReturningKeysAsync(media.AccountId, media.Id, cancellationToken) : null;
        if (keysAtDeletion is null) throw MediaException.InUse();
        // The row is gone first, so no response can point at a file that is about to vanish. Its keys as
        // deleted count too: a job finishing meanwhile may have recorded a file the caller's copy lacks.
        await storage.DeleteAllAsync(media.StoredKeys.Concat(keysAtDeletion).Distinct(), logger);
        if (media.DirectId is null) await events.DeletedAsync(media);
    }

    private async Task<MediaAttachment> FindOwnAsync(long accountId, string id, CancellationToken cancellationToken)
    {
        if (!long.TryParse(id, out var numericId)) throw MediaException.NotFound();
        return await repository.FindAsync(accountId, numericId, cancellationToken) ?? throw MediaException.NotFound();
    }

    internal List<string> WithDescriptionError(List<string> errors, MediaInput input)
    {
        if (UploadRules.DescriptionError(input.Description, _limits.DescriptionLimit) is { } error) errors.Add(error);
        return errors;
    }

    internal static async Task<SniffedType?> SniffAsync(string path, CancellationToken cancellationToken)
    {
        var head = await MediaSniffer.ReadHeadAsync(path, cancellationToken);
        return head.Length == 0 ? null : MediaSniffer.Sniff(head);
    }

}
