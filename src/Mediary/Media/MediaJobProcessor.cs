using Mediary.Jobs;
using Mediary.Processing;
using Mediary.Storage;
using Microsoft.Extensions.Options;

namespace Mediary.Media;

/// <summary>
/// The background half of video, audio and animated GIF uploads (jobs of kind
/// <see cref="Kind"/>, one per media): check what only the whole source can tell, when the upload
/// left that to the job (<see cref="SourceChecks"/>); transcode (or pass through) to MP4, or to MP3
/// with the cover art as thumbnail; then publish. Idempotent: outputs go to keys derived from the
/// media, so a job re-run after a crash overwrites instead of duplicating.
/// </summary>
public sealed class MediaJobProcessor(MediaRepository repository, FfmpegRunner ffmpeg, ThumbnailPipeline thumbnails, SourceChecks checks,
    VideoUploadPipeline videos,
    IMediaStorage storage, TempFiles temp, IOptions<Configuration.MediaLimitsOptions> limits, IOptions<JobOptions> jobs, MediaMetrics metrics,
    IMediaEvents events, ILogger<MediaJobProcessor> logger) : IJobHandler
{
    public const string JobKind = "media.process";

    public string Kind => JobKind;

    /// <summary>A failed media's reason, for its owner.</summary>
    public const string FailureReason = "The file could not be processed.";

    private TimeSpan Timeout => TimeSpan.FromSeconds(jobs.Value.FfmpegTimeoutSeconds);

    public Task RunAsync(string subject, CancellationToken cancellationToken) => ProcessAsync(long.Parse(subject), cancellationToken);

    /// <summary>Out of attempts: the media is failed, with a reason fit for its owner (the attempts' errors stay in the job and the log).</summary>
    public async Task GiveUpAsync(string subject, string reason, CancellationToken cancellationToken)
    {
        var id = long.Parse(subject);
        await repository.SetProcessingAsync(id, ProcessingStates.Failed, FailureReason, cancellationToken);
        if (await repository.FindByIdAsync(id, cancellationToken) is { } failed) await events.ProcessingEndedAsync(failed);
    }

    /// <summary>How long a job that finished first gives the upload to write its preview before making one itself.</summary>
    private static readonly TimeSpan PreviewGrace = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The job was quicker than the upload's first-frame preview, so the upload marks the media done
    /// when it writes it. If no preview comes within <see cref="PreviewGrace"/> the upload is gone (a
    /// crash, or data of a version that made none): the job makes it from the published MP4, at the
    /// upload's own key, and marks the media done. Otherwise it would stay in progress forever.
    /// </summary>
    private async Task FinishWithoutUploadPreviewAsync(MediaAttachment published, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + PreviewGrace;
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            var current = await repository.FindByIdAsync(published.Id, cancellationToken);
            if (current is null || current.IsProcessed || !current.AwaitsPreview) return;
        }
        var local = temp.NewPath("mp4");
        try
        {
            await storage.CopyToFileAsync(published.FileKey!, local, cancellationToken);
            var preview = await videos.MakePreviewFromOutputAsync(published, local, cancellationToken);
            var completed = false;
            var updated = await repository.ModifyAsync(published.Id, current =>
            {
                if (current.SmallKey is null) preview.Apply(current);
                completed = current.CompleteIfTranscoded();
            }, CancellationToken.None);
            if (completed) await events.ProcessingEndedAsync(updated!);
            logger.LogInformation("Media {MediaId} had no preview from its upload; its job made it", published.Id);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // The file is published: better done without a preview than in progress forever.
            logger.LogWarning(e, "Could not make the missing preview of media {MediaId}; it is done without one", published.Id);
            var completed = false;
            var updated = await repository.ModifyAsync(published.Id, current =>
            {
                if (current.Processing != ProcessingStates.InProgress || current.FileKey is null || current.SourceKey is not null) return;
                current.Processing = ProcessingStates.Complete;
                completed = true;
            }, CancellationToken.None);
            if (completed) await events.ProcessingEndedAsync(updated!);
        }
        finally
        {
            File.Delete(local);
        }
    }

    public async Task ProcessAsync(long mediaId, CancellationToken cancellationToken)
    {
        var media = await repository.FindByIdAsync(mediaId, cancellationToken);
        // Deleted meanwhile, or finished by an earlier run: nothing to do.
        if (media?.SourceKey is null) return;
        await repository.SetProcessingAsync(media.Id, ProcessingStates.InProgress, cancellationToken: cancellationToken);

        var started = System.Diagnostics.Stopwatch.StartNew();
        TimeSpan encoding = default;
        var fetched = temp.NewPath("source");
        var output = temp.NewPath(media.Type == MediaTypes.Audio ? "mp3" : "mp4");
        var stored = new List<string>();
        try
        {
            var source = await storage.LocalFileAsync(media.SourceKey, fetched, cancellationToken);
            if (media.SourceCheck is not null)
            {
                // Refused (failed for good, with the reason) or deleted meanwhile: nothing more to do.
                if (await checks.CheckAsync(media, source, cancellationToken) is not { } checkedMedia) return;
                media = checkedMedia;
            }
            RenderedThumbnail? cover = null;
            if (media.Type == MediaTypes.Audio)
            {
                encoding = (await ffmpeg.RunAsync("ffmpeg", FfmpegCommands.AudioToMp3(source, output), Timeout, cancellationToken, FfmpegLane.Transcode)).Elapsed;
                var sourceProbe = await MediaProbe.ProbeAsync(ffmpeg, source, Timeout, cancellationToken);
                if (media.ThumbnailKey is null && sourceProbe.HasCoverArt)
                {
                    cover = await ExtractCoverArtAsync(media.Id, source, sourceProbe.CoverArtStreamIndex, cancellationToken);
                    if (cover is not null) stored.Add(cover.Key);
                }
            }
            else
            {
                // The upload was probed before the 202; a GIF (probed by libvips then) is probed here.
                var sourceProbe = media.SourceProbe is { Length: > 0 } json
                    ? MediaProbe.Parse(json)
                    : await MediaProbe.ProbeAsync(ffmpeg, source, Timeout, cancellationToken);
                var videoLimit = limits.Value.VideoSizeLimit;
                var arguments = sourceProbe.FormatName == "gif" ? FfmpegCommands.GifToMp4(source, output, sourceProbe, videoLimit)
                    : FfmpegCommands.CanPassThrough(media.FileContentType ?? "", sourceProbe) ? FfmpegCommands.Passthrough(source, output)
                    : FfmpegCommands.Transcode(source, output, sourceProbe, videoLimit);
                encoding = (await ffmpeg.RunAsync("ffmpeg", arguments, Timeout, cancellationToken, FfmpegLane.Transcode)).Elapsed;
            }

            // Mastodon's meta of the processed file. An MP4 we just wrote is read directly (the
            // ffprobe run it saves is part of what the client waits for); anything else is probed.
            var original = media.Type == MediaTypes.Audio
                ? VideoUploadPipeline.AudioGeometry(await MediaProbe.ProbeAsync(ffmpeg, output, Timeout, cancellationToken))
                : Mp4Summary.TryRead(output) is { } summary ? VideoUploadPipeline.VideoGeometry(summary)
                : VideoUploadPipeline.VideoGeometry(await MediaProbe.ProbeAsync(ffmpeg, output, Timeout, cancellationToken));
            var (extension, contentType) = media.Type == MediaTypes.Audio ? ("mp3", "audio/mpeg") : ("mp4", "video/mp4");
            var fileKey = MediaKeys.Original(media.Id, media.FileName!, extension);
            var size = new FileInfo(output).Length;
            await storage.PutFileAsync(fileKey, output, contentType, cancellationToken);
            stored.Add(fileKey);

            // Only the processing results are written over the row as it is now: a description,
            // focus or thumbnail a client set meanwhile stays.
            var coverUsed = false;
            var updated = await repository.ModifyAsync(media.Id, current =>
            {
                // Mastodon merges the processed file's meta over the upload's.
                (current.Meta ??= new()).Original = original;
                if (cover is not null && current.ThumbnailKey is null)
                {
                    cover.Apply(current);
                    coverUsed = true;
                }
                current.FileKey = fileKey;
                current.FileContentType = contentType;
                current.FileSize = size;
                current.SourceKey = null;
                current.SourceProbe = null;
                // A preview still being made by the upload: that upload marks the media done when it has written it.
                current.Processing = current.AwaitsPreview ? ProcessingStates.InProgress : ProcessingStates.Complete;
            }, CancellationToken.None);
            if (updated is null)
            {
                logger.LogInformation("Media {MediaId} was deleted while processing", media.Id);
                await storage.DeleteAllAsync(stored, logger);
                return;
            }
            // Counted and told when clients can see it done, before the cleanup below.
            metrics.Processed(media.Type, started.Elapsed);
            if (updated.IsProcessed) await events.ProcessingEndedAsync(updated);
            else if (updated.AwaitsPreview) await FinishWithoutUploadPreviewAsync(updated, cancellationToken);
            if (cover is not null && !coverUsed) await storage.DeleteAsync(cover.Key, CancellationToken.None);
            await storage.DeleteAllAsync([media.SourceKey], logger);
            logger.LogInformation("Processed {Type} {MediaId} in {Total} ms (ffmpeg {Encoding} ms)", media.Type, media.Id,
                (long)started.Elapsed.TotalMilliseconds, (long)encoding.TotalMilliseconds);
        }
        catch
        {
            // A failed attempt leaves nothing behind; the next one starts from the source again.
            await storage.DeleteAllAsync(stored, logger);
            throw;
        }
        finally
        {
            File.Delete(fetched);
            File.Delete(output);
        }
    }

    /// <summary>Mastodon's image extractor: an embedded picture becomes the thumbnail; none is not an error.</summary>
    private async Task<RenderedThumbnail?> ExtractCoverArtAsync(long mediaId, string source, int? stream, CancellationToken cancellationToken)
    {
        var cover = temp.NewPath("png");
        try
        {
            await ffmpeg.RunAsync("ffmpeg", FfmpegCommands.CoverArt(source, cover, stream), Timeout, cancellationToken);
            if (!File.Exists(cover) || new FileInfo(cover).Length == 0) return null;
            using var file = new UploadedFile(cover, "cover.png", new FileInfo(cover).Length);
            return await thumbnails.RenderAsync(mediaId, file, cancellationToken);
        }
        catch (FfmpegException)
        {
            return null;
        }
        catch (MediaException e)
        {
            logger.LogInformation("Cover art of media {MediaId} not used: {Reason}", mediaId, e.Message);
            return null;
        }
        finally
        {
            File.Delete(cover);
        }
    }
}
