using Mediary.Configuration;
using Mediary.Jobs;
using Mediary.Processing;
using Mediary.Storage;
using Microsoft.Extensions.Options;

namespace Mediary.Media;

/// <summary>
/// A video, audio file or animated GIF, probed and validated, with the type it will have.
/// <see cref="Frame"/> is the first frame's extraction into <see cref="FramePath"/>, possibly still
/// running: it is only needed for the preview.
/// </summary>
public sealed record PreparedVideo(UploadedFile File, SniffedType Type, string MediaType, MediaGeometry Original, bool FromGif,
    MediaProbe? Probe = null, string? FramePath = null, Task<bool>? Frame = null)
{
    /// <summary>Waits for the frame extraction, if any, and removes its file.</summary>
    public async Task DiscardFrameAsync()
    {
        if (Frame is not null) await Frame;
        if (FramePath is not null) System.IO.File.Delete(FramePath);
    }
}

/// <summary>A video's <c>small</c> preview (its first frame), stored under <see cref="Key"/>.</summary>
public sealed record VideoPreview(string Key, MediaGeometry Small, string? Blurhash)
{
    /// <summary>Sets the preview; a custom thumbnail already there keeps its own size and blurhash.</summary>
    public void Apply(MediaAttachment media)
    {
        media.SmallKey = Key;
        if (media.ThumbnailKey is not null) return;
        (media.Meta ??= new()).Small = Small;
        media.Blurhash = Blurhash;
    }
}

/// <summary>
/// The synchronous half of video, audio and animated GIF uploads (Mastodon's v2 answers before
/// the transcode): probe with ffprobe, validate, make the <c>small</c> first frame and its blurhash,
/// and stage the raw upload for the background job (<see cref="MediaJobProcessor"/>).
/// </summary>
public sealed class VideoUploadPipeline(FfmpegRunner ffmpeg, ImageProcessor images, IMediaStorage storage, TempFiles temp,
    IOptions<MediaLimitsOptions> limits, IOptions<JobOptions> jobs)
{
    private readonly MediaLimitsOptions _limits = limits.Value;
    private TimeSpan Timeout => TimeSpan.FromSeconds(jobs.Value.FfmpegTimeoutSeconds);

    /// <summary>
    /// Probes and validates. The first frame is extracted at the same time (it is needed for the
    /// 202 of any valid video) and may still be under way when this returns: the job can start
    /// on the probe alone.
    /// </summary>
    public async Task<PreparedVideo> PrepareAsync(UploadedFile file, SniffedType type, CancellationToken cancellationToken)
    {
        if (type.Family == MediaFamily.Audio) return await PrepareProbedAsync(file, type, cancellationToken);
        var framePath = temp.NewPath("png");
        var frame = TryFirstFrameAsync(file.Path, framePath, cancellationToken);
        try
        {
            var prepared = await PrepareProbedAsync(file, type, cancellationToken);
            return prepared with { FramePath = framePath, Frame = frame };
        }
        catch
        {
            await frame;
            File.Delete(framePath);
            throw;
        }
    }

    private async Task<bool> TryFirstFrameAsync(string input, string output, CancellationToken cancellationToken)
    {
        try
        {
            await ffmpeg.RunAsync("ffmpeg", FfmpegCommands.FirstFrame(input, output), Timeout, cancellationToken);
            return File.Exists(output);
        }
        catch (Exception e) when (e is FfmpegException or ProcessingBusyException)
        {
            // MakePreviewAsync extracts it again.
            return false;
        }
    }

    private async Task<PreparedVideo> PrepareProbedAsync(UploadedFile file, SniffedType type, CancellationToken cancellationToken)
    {
        MediaProbe probe;
        try
        {
            probe = await MediaProbe.ProbeAsync(ffmpeg, file.Path, Timeout, cancellationToken);
        }
        catch (FfmpegException)
        {
            throw MediaException.ProcessingFailed();
        }

        return Classify(file, type, probe);
    }

    /// <summary>
    /// What a probed file is: audio, or a video (a gifv without sound, as on Mastodon) within the
    /// limits; throws the validation error otherwise.
    /// </summary>
    public PreparedVideo Classify(UploadedFile file, SniffedType type, MediaProbe probe)
    {
        var video = probe.Video;
        var family = type.Family == MediaFamily.VideoOrAudio ? (video is null ? MediaFamily.Audio : MediaFamily.Video) : type.Family;
        if (family == MediaFamily.Audio)
        {
            if (probe.AudioCodec is null) throw MediaException.ProcessingFailed();
            // No samples (a WAV header alone): nothing to transcode, and a file at fault, as an unreadable one is.
            if (probe.Duration is not > 0) throw MediaException.ValidationFailed([MediaMessages.ContentTypeInvalid]);
            return new PreparedVideo(file, type, MediaTypes.Audio, AudioGeometry(probe), FromGif: false, probe);
        }
        if (UploadRules.VideoError(video, _limits.VideoMatrixLimit, _limits.VideoFrameRateLimit) is { } error) throw MediaException.Invalid(error);
        var mediaType = probe.AudioCodec is null ? MediaTypes.Gifv : MediaTypes.Video;
        return new PreparedVideo(file, type, mediaType, VideoGeometry(probe), FromGif: false, probe);
    }

    /// <summary>An animated GIF, already checked as an image, becomes a gifv; its source is the GIF rewritten clean.</summary>
    public static PreparedVideo FromAnimatedGif(PreparedImage image) =>
        new(image.Pixels, image.Type, MediaTypes.Gifv, new MediaGeometry { Width = image.Probe.Width, Height = image.Probe.Height }, FromGif: true);

    /// <summary>
    /// Stores the raw upload for its job and describes it on <paramref name="media"/>; returns its
    /// key. An upload already stored and read in place is the source as it is: nothing is copied.
    /// </summary>
    public async Task<string> StageSourceAsync(MediaAttachment media, PreparedVideo video, CancellationToken cancellationToken)
    {
        var sourceKey = video.File.StoredKey ?? MediaKeys.Source(media.Id, media.FileName!, video.Type.Extensions[0]);
        if (video.File.StoredKey is null)
        {
            // Storage takes a second name of the upload: the first frame and the preview still read the first.
            var handedOver = temp.SecondName(video.File.Path);
            try
            {
                await storage.PutFileAsync(sourceKey, handedOver, video.Type.MimeType, cancellationToken);
            }
            finally
            {
                File.Delete(handedOver);
            }
        }
        Describe(media, sourceKey, video);
        return sourceKey;
    }

    /// <summary>The source and what its probe found, on the record.</summary>
    public static void Describe(MediaAttachment media, string sourceKey, PreparedVideo video)
    {
        media.Type = video.MediaType;
        media.SourceKey = sourceKey;
        media.SourceProbe = video.Probe?.Json;
        (media.Meta ??= new()).Original = video.Original;
    }

    /// <summary>The first frame, fitted into 640×640, as PNG, with its blurhash, stored.</summary>
    public Task<VideoPreview> MakePreviewAsync(MediaAttachment media, PreparedVideo video, CancellationToken cancellationToken) =>
        RenderPreviewAsync(media, async (frame, small) =>
        {
            if (video.FromGif) return await images.RenderAsync(video.File.Path, [(small, _limits.SmallMaxPixels)], blurhashFrom: 0, cancellationToken);
            if (video.Frame is { } extraction && await extraction && video.FramePath is { } ready)
            {
                try
                {
                    return await images.RenderAsync(ready, [(small, long.MaxValue)], blurhashFrom: 0, cancellationToken);
                }
                finally
                {
                    File.Delete(ready);
                }
            }
            await ffmpeg.RunAsync("ffmpeg", FfmpegCommands.FirstFrame(video.File.Path, frame), Timeout, cancellationToken);
            // Re-encoded by libvips: strips whatever ffmpeg wrote and yields the blurhash.
            return await images.RenderAsync(frame, [(small, long.MaxValue)], blurhashFrom: 0, cancellationToken);
        });

    /// <summary>
    /// The same preview from the MP4 a job wrote, for a media whose upload left none (it ended
    /// before writing it: a crash, or a version that made none). It lands at the same key as the
    /// upload's, so the two never leave an extra file.
    /// </summary>
    public Task<VideoPreview> MakePreviewFromOutputAsync(MediaAttachment media, string mp4, CancellationToken cancellationToken) =>
        RenderPreviewAsync(media, async (frame, small) =>
        {
            await ffmpeg.RunAsync("ffmpeg", FfmpegCommands.FirstFrame(mp4, frame), Timeout, cancellationToken);
            return await images.RenderAsync(frame, [(small, long.MaxValue)], blurhashFrom: 0, cancellationToken);
        });

    private async Task<VideoPreview> RenderPreviewAsync(MediaAttachment media, Func<string, string, Task<ImageRenderResult>> render)
    {
        var frame = temp.NewPath("png");
        var small = temp.NewPath("png");
        try
        {
            var result = await render(frame, small);
            var key = MediaKeys.Small(media.Id, media.FileName!, "png");
            await storage.PutFileAsync(key, small, "image/png", CancellationToken.None);
            var size = result.Outputs[0];
            return new VideoPreview(key, MediaGeometry.ForImage(size.Width, size.Height), result.Blurhash);
        }
        catch (Exception e) when (e is FfmpegException or ImageProcessingException)
        {
            throw MediaException.ProcessingFailed();
        }
        finally
        {
            File.Delete(frame);
            File.Delete(small);
        }
    }

    /// <summary>Mastodon's video meta: width, height (as displayed), frame_rate "num/den", duration, bitrate.</summary>
    internal static MediaGeometry VideoGeometry(MediaProbe probe) => new()
    {
        Width = probe.Video?.Width,
        Height = probe.Video?.Height,
        FrameRate = probe.Video?.FrameRate,
        Duration = probe.Duration,
        Bitrate = probe.Bitrate,
    };

    /// <summary>The same meta, read from an MP4's header instead of probed.</summary>
    internal static MediaGeometry VideoGeometry(Mp4Summary.Summary summary) => new()
    {
        Width = summary.Width,
        Height = summary.Height,
        FrameRate = summary.FrameRate,
        Duration = summary.Duration,
        Bitrate = summary.Bitrate,
    };

    internal static MediaGeometry AudioGeometry(MediaProbe probe) => new() { Duration = probe.Duration, Bitrate = probe.Bitrate };
}
