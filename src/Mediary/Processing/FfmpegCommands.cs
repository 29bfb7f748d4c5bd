using System.Globalization;

namespace Mediary.Processing;

/// <summary>
/// Argument lists for <see cref="FfmpegRunner"/> ("ffmpeg"), with Mastodon's parameters
/// (<c>MediaAttachment::VIDEO_FORMAT</c>, <c>VIDEO_PASSTHROUGH_OPTIONS</c>, the audio style and
/// <c>Paperclip::Transcoder</c>). Pure functions; the runner adds <c>-nostdin</c> and the input
/// whitelists. Paths are made absolute so that no file name can read as an option or a protocol
/// ("-x.mp4", "concat:a|b"). The output muxer is named with <c>-f</c> rather than guessed from the
/// extension (same muxer, but a temporary path's extension no longer matters).
/// </summary>
public static class FfmpegCommands
{
    /// <summary>MAX_VIDEO_FRAMES: the output is cut after this many frames (not a validation).</summary>
    public const int MaxVideoFrames = 36_000;
    /// <summary>vfr_frame_rate_threshold = MAX_VIDEO_FRAME_RATE: above it (r_frame_rate) the output keeps variable timing.</summary>
    public const double VfrFrameRateThreshold = 120;
    /// <summary>BITS_PER_PIXEL, "the H.264 High value" of Mastodon's transcoder.</summary>
    public const double BitsPerPixel = 0.11;
    /// <summary>The audio bitrate (-b:a 192k), also reserved out of the size budget.</summary>
    public const long AudioBitrate = 192_000;
    /// <summary>
    /// The lowest video bitrate asked of libx264, in bits/s (not in Mastodon). libx264 takes kb/s and
    /// refuses 0, which Mastodon's formula gives every frame under about 302 px² (16×16: 844 b/s)
    /// and, through its size budget, every video longer than about 72 minutes (a negative number).
    /// 64 kb/s is what the formula gives a 139×139 frame; smaller animations get a little more room.
    /// </summary>
    public const long MinVideoBitrate = 64_000;

    /// <summary>
    /// Full re-encode to H.264/AAC MP4 (Mastodon's VIDEO_FORMAT), used for WebM, QuickTime, Ogg,
    /// MP4 that cannot pass through, and animated GIF.
    /// </summary>
    public static List<string> Transcode(string input, string output, MediaProbe probe, long videoSizeLimit)
    {
        var video = probe.Video ?? throw new ArgumentException("the probe found no video stream", nameof(probe));
        // Mastodon multiplies ffprobe's width × height; whether they are the stored or the displayed
        // (rotation-swapped) ones does not matter, the product is the same.
        var bitrate = VideoBitrate(video.Width, video.Height, probe.Duration, videoSizeLimit);
        var arguments = new List<string>
        {
            "-i", Path.GetFullPath(input),
            "-loglevel", "fatal",
            "-preset", "veryfast",
            "-movflags", "faststart",
            "-pix_fmt", "yuv420p",
            "-vf", EvenDimensions(video),
            "-c:v", "h264",
            "-c:a", "aac",
            "-b:a", "192k",
            "-map_metadata", "-1",
            "-frames:v", Number(MaxVideoFrames),
            "-b:v", Number(bitrate),
            "-maxrate", Number(bitrate + AudioBitrate),
            "-bufsize", Number(bitrate * 5),
        };
        // Mastodon: `-vsync vfr` (now -fps_mode) when r_frame_rate > vfr_frame_rate_threshold.
        if (video.RFrameRateValue > VfrFrameRateThreshold) arguments.AddRange(["-fps_mode", "vfr"]);
        arguments.AddRange(["-f", "mp4", "-y", Path.GetFullPath(output)]);
        return arguments;
    }

    /// <summary>An animated GIF becomes an H.264 MP4 through the same transcoder (Mastodon's GifTranscoder uses VIDEO_FORMAT).</summary>
    public static List<string> GifToMp4(string input, string output, MediaProbe probe, long videoSizeLimit) =>
        Transcode(input, output, probe, videoSizeLimit);

    /// <summary>
    /// Mastodon's video bitrate in bits/s, never below <see cref="MinVideoBitrate"/>:
    /// desired = floor(w·h·30·0.11); budget = floor(limit·8 / max(duration, 1)) − 192000; then
    /// max(min(desired, budget), MinVideoBitrate). Where Mastodon's result is at least the floor
    /// it is unchanged; below it (tiny frames, or the budget of a video longer than the limit
    /// allows) libx264 would refuse the run.
    /// </summary>
    public static long VideoBitrate(long width, long height, double? duration, long videoSizeLimit)
    {
        var desired = (long)Math.Floor(width * height * 30 * BitsPerPixel);
        var budget = (long)Math.Floor(videoSizeLimit * 8 / Math.Max(duration ?? 0, 1)) - AudioBitrate;
        return Math.Max(Math.Min(desired, budget), MinVideoBitrate);
    }

    /// <summary>
    /// H.264 needs even dimensions; Mastodon crops rather than scales, to avoid blurring
    /// (<c>crop=floor(iw/2)*2:floor(ih/2)*2</c>). A side of one pixel would be cropped to nothing,
    /// so it is first doubled (nearest neighbour: the same pixels, twice as wide), with square
    /// pixels so that players show the size stored.
    /// </summary>
    internal static string EvenDimensions(ProbedVideoStream video)
    {
        const string crop = "crop=floor(iw/2)*2:floor(ih/2)*2";
        if (video.Width > 1 && video.Height > 1) return crop;
        return $"scale={(video.Width > 1 ? "iw" : "2")}:{(video.Height > 1 ? "ih" : "2")}:flags=neighbor,setsar=1,{crop}";
    }

    /// <summary>
    /// Mastodon's VIDEO_PASSTHROUGH_OPTIONS: video h264, audio aac or none, pix_fmt yuv420p or
    /// yuvj420p, and only for MP4 (WebM and QuickTime are VIDEO_CONVERTIBLE_MIME_TYPES, always
    /// re-encoded). <paramref name="sniffedContainer"/> is "mp4" or "video/mp4" for MP4 uploads.
    /// </summary>
    public static bool CanPassThrough(string sniffedContainer, MediaProbe probe) =>
        sniffedContainer.ToLowerInvariant() is "mp4" or "video/mp4"
        && probe.Video is { Codec: "h264", PixelFormat: "yuv420p" or "yuvj420p" }
        && probe.AudioCodec is null or "aac";

    /// <summary>Stream copy into a fresh MP4 without metadata, moov first.</summary>
    public static List<string> Passthrough(string input, string output) =>
    [
        "-i", Path.GetFullPath(input),
        "-loglevel", "fatal",
        "-map_metadata", "-1",
        "-movflags", "faststart",
        "-c:v", "copy",
        "-c:a", "copy",
        "-f", "mp4",
        "-y", Path.GetFullPath(output),
    ];

    /// <summary>
    /// The <c>small</c> style: the frame at 0 s as PNG, shrunk to fit 640×640, never enlarged
    /// (960×540 gives 640×360, 320×240 stays). ffmpeg rotates by the display matrix first.
    /// </summary>
    public static List<string> FirstFrame(string input, string outputPng) =>
    [
        "-ss", "0",
        "-i", Path.GetFullPath(input),
        "-f", "image2",
        "-vframes", "1",
        "-loglevel", "fatal",
        // Mastodon's string, as its shell passes it. Inside the single quotes the backslash is
        // not needed (the filter parser takes the comma literally there); both spellings give
        // the same picture.
        "-vf", @"scale='min(640\, iw):min(640\, ih)':force_original_aspect_ratio=decrease",
        "-c:v", "png",
        "-y", Path.GetFullPath(outputPng),
    ];

    /// <summary>
    /// The audio style: MP3, LAME VBR quality 2 (Mastodon: <c>-loglevel fatal -q:a 2</c>).
    /// Mastodon keeps no <c>-vn</c>; we add it. The mp3 muxer would not fail without it (it stores
    /// a cover as an ID3 picture and ignores other video), but the cover would be re-encoded and
    /// kept in the audio file at full size while <see cref="CoverArt"/> already turns it into the
    /// thumbnail, and any real video stream would be decoded and re-encoded for nothing.
    /// Metadata tags are kept, as on Mastodon (no <c>-map_metadata -1</c> for audio).
    /// </summary>
    public static List<string> AudioToMp3(string input, string output) =>
    [
        "-i", Path.GetFullPath(input),
        "-loglevel", "fatal",
        "-vn",
        "-q:a", "2",
        "-f", "mp3",
        "-y", Path.GetFullPath(output),
    ];

    /// <summary>
    /// Mastodon's image extractor: the embedded picture as PNG. The stream is mapped explicitly
    /// (<paramref name="streamIndex"/>, e.g. <see cref="MediaProbe.CoverArtStreamIndex"/>, or the
    /// first video stream): left to itself, ffmpeg prefers any real video stream over an attached
    /// picture when writing images. Fails (exit 1) when there is no picture.
    /// </summary>
    public static List<string> CoverArt(string input, string outputPng, int? streamIndex = null) =>
    [
        "-i", Path.GetFullPath(input),
        "-loglevel", "fatal",
        "-map", streamIndex is int index ? "0:" + Number(index) : "0:v:0",
        "-frames:v", "1",
        "-f", "image2",
        "-c:v", "png",
        "-y", Path.GetFullPath(outputPng),
    ];

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
