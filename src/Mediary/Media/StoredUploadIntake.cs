using System.Security.Cryptography;
using Mediary.Jobs;
using Mediary.Storage;

namespace Mediary.Media;

/// <summary>
/// The core's one entry point for an upload whose bytes are already stored (the direct face's
/// step 2): the stored object is the media's source, never copied within the storage. Its type is
/// sniffed once from its head (a ranged GET on a bucket), it is checked against its declaration
/// and the face's <see cref="UploadPolicy"/>, and a wrong type or length is refused before any
/// record exists. On local disk everything is checked here, in place; in a bucket, a video's
/// checks that need its whole file (checksum, probe, audio only) are left to its one job, which
/// fetches it once. The stored upload is removed only once a record no longer needs it; a failure
/// of any other kind leaves it for a retry.
/// </summary>
public sealed class StoredUploadIntake(MediaService core, MediaRepository repository, IMediaStorage storage, IJobQueue jobs, TempFiles temp,
    ILogger<StoredUploadIntake> logger)
{
    /// <summary>The new media, and the type its bytes were sniffed as.</summary>
    /// <param name="details">Description and focus to set (its file is ignored: the bytes are the stored upload's).</param>
    /// <exception cref="MediaException">SourceMissing: nothing stored yet; Rejected: not what was declared; Validation or ProcessingFailed as for any upload.</exception>
    public async Task<(MediaAttachment Media, string SniffedType)> CreateAsync(long accountId, StoredUpload upload, UploadPolicy policy,
        MediaInput details, CancellationToken cancellationToken)
    {
        SniffedType? sniffed = null;
        var media = await core.CountedAsync(policy, () => CreateCheckedAsync(accountId, upload, policy, details, type => sniffed = type, cancellationToken));
        return (media, sniffed!.MimeType);
    }

    private async Task<MediaAttachment> CreateCheckedAsync(long accountId, StoredUpload upload, UploadPolicy policy, MediaInput details,
        Action<SniffedType> sniffed, CancellationToken cancellationToken)
    {
        var length = await storage.LengthAsync(upload.Key, cancellationToken) ?? throw MediaException.SourceMissing();
        if (UploadRules.DeclarationError(length, null, upload.DeclaredLength, null) is { } wrongLength) throw MediaException.Rejected(wrongLength);
        var head = await storage.ReadHeadAsync(upload.Key, MediaSniffer.HeaderLength, cancellationToken);
        var type = head.Length == 0 ? null : MediaSniffer.Sniff(head);
        if (UploadRules.TypeError(type, policy, upload.DeclaredType) is { } wrongType) throw MediaException.Rejected(wrongType);
        sniffed(type!);
        if (type!.Family is not (MediaFamily.Image or MediaFamily.Document) && !storage.ReadsInPlace())
        {
            return await DeferAsync(accountId, upload, type, policy, details, cancellationToken);
        }

        using var file = await LocalFileAsync(upload, cancellationToken);
        // A presigned URL takes PUTs until it expires: the copy fetched is what counts.
        var sha256 = upload.Sha256 is null ? null : await Sha256Async(file.Path, cancellationToken);
        if (UploadRules.DeclarationError(file.Length, sha256, upload.DeclaredLength, upload.Sha256) is { } mismatch)
        {
            throw MediaException.Rejected(mismatch);
        }
        var input = new MediaInput { File = file, Description = details.Description, Focus = details.Focus };
        var media = await core.CreateSniffedAsync(accountId, input, type, policy, upload.DeclaredType, completesReservation: true, cancellationToken);
        // Processed into files of its own: the upload has served. A source read in place stays for the job.
        if (media.SourceKey != upload.Key) await DeleteQuietlyAsync(upload.Key);
        return media;
    }

    /// <summary>
    /// A video or audio file in a bucket: recorded and queued with what is left to check, so no
    /// request waits on fetching up to the video limit.
    /// </summary>
    private async Task<MediaAttachment> DeferAsync(long accountId, StoredUpload upload, SniffedType type, UploadPolicy policy, MediaInput details,
        CancellationToken cancellationToken)
    {
        var errors = core.WithDescriptionError([], details);
        if (UploadRules.SizeError(upload.DeclaredLength, policy.VideoSizeLimit, policy.LimitIsInclusive) is { } tooBig) errors.Insert(0, tooBig);
        if (errors.Count > 0) throw MediaException.ValidationFailed(errors);
        var focus = FocusParser.Parse(details.Focus);

        var media = MediaService.NewMedia(accountId, details, type.Family == MediaFamily.Audio ? MediaTypes.Audio : MediaTypes.Video,
            ProcessingStates.Queued, policy);
        media.FileContentType = type.MimeType;
        media.SourceKey = upload.Key;
        media.SourceCheck = new SourceCheck(upload.DeclaredLength, upload.Sha256, policy.AcceptsAudio, upload.DeclaredType).Serialize();
        MediaService.SetFocus(media, focus);
        await repository.InsertWithJobAsync(media, jobs, cancellationToken);
        return media;
    }

    /// <summary>The stored upload as a local file: itself on local disk (kept when done with), else a fetched copy (deleted).</summary>
    private async Task<UploadedFile> LocalFileAsync(StoredUpload upload, CancellationToken cancellationToken)
    {
        var scratch = temp.NewPath();
        var (path, inPlace) = await storage.LocalFileInPlaceAsync(upload.Key, scratch, cancellationToken);
        return new UploadedFile(path, upload.FileName, new FileInfo(path).Length, inPlace ? upload.Key : null);
    }

    private async Task DeleteQuietlyAsync(string key)
    {
        try
        {
            await storage.DeleteAllAsync([key], logger);
        }
        catch (Exception e)
        {
            // The media is made; an upload left behind is found by remove-orphans.
            logger.LogWarning(e, "Could not remove the processed upload {Key}", key);
        }
    }

    internal static async Task<string> Sha256Async(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }
}
