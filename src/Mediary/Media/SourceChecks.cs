using Mediary.Processing;
using Mediary.Storage;

namespace Mediary.Media;

/// <summary>
/// What an upload left to its job because only the whole stored file can tell (a video in a
/// bucket, see <see cref="StoredUploadIntake"/>): the length and checksum of the copy fetched, its
/// real type, its probe within the limits, a picture where audio alone is not accepted; then the
/// first-frame preview, as the upload request would have made it. A file that fails is refused
/// for good: the media is failed with the reason, and its source removed.
/// </summary>
public sealed class SourceChecks(MediaRepository repository, VideoUploadPipeline videos, FfmpegRunner ffmpeg, IMediaStorage storage,
    Microsoft.Extensions.Options.IOptions<Jobs.JobOptions> jobs, IMediaEvents events, ILogger<SourceChecks> logger)
{
    /// <summary>The media as checked and described, or null when it was refused (or deleted meanwhile).</summary>
    public async Task<MediaAttachment?> CheckAsync(MediaAttachment media, string source, CancellationToken cancellationToken)
    {
        var check = SourceCheck.Parse(media.SourceCheck)!;
        var length = new FileInfo(source).Length;
        var sha256 = check.Sha256 is null ? null : await StoredUploadIntake.Sha256Async(source, cancellationToken);
        // Sniffed again from the copy fetched: a presigned URL takes PUTs until it expires.
        var type = MediaSniffer.Sniff(await MediaSniffer.ReadHeadAsync(source, cancellationToken));
        var refusal = UploadRules.DeclarationError(length, sha256, check.Length, check.Sha256)
            ?? UploadRules.TypeError(type, family => family is MediaFamily.Video or MediaFamily.VideoOrAudio or MediaFamily.Audio, check.DeclaredType);
        PreparedVideo? video = null;
        if (refusal is null)
        {
            (video, refusal) = await ClassifyAsync(media, source, type!, length, check, cancellationToken);
        }
        VideoPreview? preview = null;
        if (refusal is null && video!.MediaType != MediaTypes.Audio)
        {
            try
            {
                preview = await videos.MakePreviewAsync(media, video, cancellationToken);
            }
            catch (MediaException e)
            {
                refusal = e.Message;
            }
        }
        if (refusal is not null)
        {
            await RefuseAsync(media, refusal);
            return null;
        }

        var updated = await repository.ModifyAsync(media.Id, current =>
        {
            VideoUploadPipeline.Describe(current, current.SourceKey!, video!);
            current.FileContentType = type!.MimeType;
            preview?.Apply(current);
            current.SourceCheck = null;
        }, CancellationToken.None);
        if (updated is null && preview is not null) await storage.DeleteAllAsync([preview.Key], logger);
        return updated;
    }

    private async Task<(PreparedVideo?, string?)> ClassifyAsync(MediaAttachment media, string source, SniffedType type, long length,
        SourceCheck check, CancellationToken cancellationToken)
    {
        try
        {
            var probe = await MediaProbe.ProbeAsync(ffmpeg, source, TimeSpan.FromSeconds(jobs.Value.FfmpegTimeoutSeconds), cancellationToken);
            // Read where it is: the job owns the fetched copy, and the stored source stays until the job is done.
            var video = videos.Classify(new UploadedFile(source, null, length, media.SourceKey), type, probe);
            return (video, UploadRules.AudioOnlyError(video.MediaType == MediaTypes.Audio, check.AudioAllowed, check.DeclaredType));
        }
        catch (FfmpegException)
        {
            return (null, MediaException.ProcessingFailed().Message);
        }
        catch (MediaException e)
        {
            return (null, e.Message);
        }
    }

    private async Task RefuseAsync(MediaAttachment media, string reason)
    {
        logger.LogInformation("Media {MediaId} refused by its job: {Reason}", media.Id, reason);
        var refused = await repository.ModifyAsync(media.Id, current =>
        {
            current.Processing = ProcessingStates.Failed;
            current.Failure = reason;
            current.SourceKey = null;
            current.SourceCheck = null;
        }, CancellationToken.None);
        if (refused is not null || media.SourceKey is not null) await storage.DeleteAllAsync([media.SourceKey], logger);
        if (refused is not null) await events.ProcessingEndedAsync(refused);
    }
}
