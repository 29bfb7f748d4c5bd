using Mediary.Processing;

namespace Mediary.Tests.Processing;

/// <summary>Mastodon's transcoder parameters and passthrough rule (pure).</summary>
public sealed class FfmpegCommandTests
{
    private const long VideoLimit = 99L * 1024 * 1024;

    [Theory]
    [InlineData(320, 240, 1.0, 253_440)]
    [InlineData(320, 240, null, 253_440)]
    [InlineData(3840, 2160, 600.0, 1_192_120)] // 830472192/600 = 1384120.32 → 1384120 − 192000
    [InlineData(3840, 2160, 0.5, 27_371_520)]  // duration below 1 s counts as 1 s
    [InlineData(1920, 1080, 100.0, 6_842_880)]
    public void Video_bitrate_follows_Mastodons_formula(int width, int height, double? duration, long expected) =>
        Assert.Equal(expected, FfmpegCommands.VideoBitrate(width, height, duration, VideoLimit));

    [Fact]
    public void Transcode_is_Mastodons_command_line()
    {
        var probe = FfmpegProbeParsingTests.Captured("quicktime.mov");
        Assert.Equal(
            ["-i", "/in/x.mov", "-loglevel", "fatal", "-preset", "veryfast", "-movflags", "faststart", "-pix_fmt", "yuv420p",
             "-vf", "crop=floor(iw/2)*2:floor(ih/2)*2", "-c:v", "h264", "-c:a", "aac", "-b:a", "192k", "-map_metadata", "-1",
             "-frames:v", "36000", "-b:v", "253440", "-maxrate", "445440", "-bufsize", "1267200", "-f", "mp4", "-y", "/out/x.mp4"],
            FfmpegCommands.Transcode("/in/x.mov", "/out/x.mp4", probe, VideoLimit));
    }

    [Fact]
    public void Rotation_does_not_change_the_bitrate()
    {
        var rotated = FfmpegProbeParsingTests.Captured("rotated-90.mp4");
        var plain = FfmpegProbeParsingTests.Captured("h264-aac.mp4");
        Assert.Equal(FfmpegCommands.Transcode("/a", "/b", plain, VideoLimit), FfmpegCommands.Transcode("/a", "/b", rotated, VideoLimit));
    }

    [Fact]
    public void Variable_frame_rate_only_above_120_r_frame_rate()
    {
        var probe = FfmpegProbeParsingTests.Captured("h264-aac.mp4");
        Assert.DoesNotContain("-fps_mode", FfmpegCommands.Transcode("/a", "/b", probe, VideoLimit));
        var fast = probe with { Video = probe.Video! with { RFrameRateValue = 120.5 } };
        var arguments = FfmpegCommands.Transcode("/a", "/b", fast, VideoLimit);
        Assert.Equal("vfr", arguments[arguments.IndexOf("-fps_mode") + 1]);
    }

    [Fact]
    public void Transcode_needs_a_video_stream() =>
        Assert.Throws<ArgumentException>(() => FfmpegCommands.Transcode("/a", "/b", FfmpegProbeParsingTests.Captured("audio-cover.mp3"), VideoLimit));

    [Theory]
    [InlineData("mp4", "h264-aac.mp4", true)]
    [InlineData("video/mp4", "h264-aac.mp4", true)]
    [InlineData("mp4", "rotated-90.mp4", true)]
    [InlineData("mov", "quicktime.mov", false)]              // same codecs, QuickTime container
    [InlineData("video/quicktime", "quicktime.mov", false)]
    [InlineData("mp4", "silent.mp4", false)]                 // yuv444p
    [InlineData("webm", "webm-with-audio.webm", false)]
    [InlineData("mp4", "webm-with-audio.webm", false)]       // vp9 + opus
    [InlineData("mp4", "audio-cover.mp3", false)]            // no video
    public void Passthrough_needs_mp4_h264_yuv420p_and_aac_or_silence(string container, string fixture, bool expected) =>
        Assert.Equal(expected, FfmpegCommands.CanPassThrough(container, FfmpegProbeParsingTests.Captured(fixture)));

    [Fact]
    public void Passthrough_accepts_full_range_and_no_audio()
    {
        var probe = FfmpegProbeParsingTests.Captured("h264-aac.mp4");
        Assert.True(FfmpegCommands.CanPassThrough("mp4", probe with { AudioCodec = null, Video = probe.Video! with { PixelFormat = "yuvj420p" } }));
        Assert.False(FfmpegCommands.CanPassThrough("mp4", probe with { AudioCodec = "mp3" }));
    }

    [Fact]
    public void Runner_puts_the_whitelists_before_every_input()
    {
        var ffmpeg = FfmpegRunner.WithSafetyArguments("ffmpeg", ["-ss", "0", "-i", "/a.mp4", "-i", "/b.mp3", "-y", "/c.mp4"]);
        string[] safety = ["-protocol_whitelist", "file", "-format_whitelist", FfmpegRunner.FormatWhitelist];
        Assert.Equal(["-nostdin", "-hide_banner", "-ss", "0", .. safety, "-i", "/a.mp4", .. safety, "-i", "/b.mp3", "-y", "/c.mp4"], ffmpeg);
        Assert.Equal(["-hide_banner", .. safety, "-show_format", "/a.mp4"], FfmpegRunner.WithSafetyArguments("ffprobe", ["-show_format", "/a.mp4"]));
        Assert.Throws<ArgumentException>(() => FfmpegRunner.WithSafetyArguments("ffmpeg", ["-f", "null", "-"]));
    }
}
