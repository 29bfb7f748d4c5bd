using Mediary.Processing;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Processing;

/// <summary><see cref="MediaProbe.Parse"/> on ffprobe JSON captured from the fixtures (Processing/ffprobe/*.json).</summary>
public sealed class FfmpegProbeParsingTests
{
    internal static MediaProbe Captured(string name) =>
        MediaProbe.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "Mediary.Tests", "Processing", "ffprobe", name + ".json")));

    [Fact]
    public void Rotated_phone_video_reports_the_displayed_size()
    {
        var probe = Captured("rotated-90.mp4");
        Assert.Equal("mov,mp4,m4a,3gp,3g2,mj2", probe.FormatName);
        Assert.Equal(new ProbedVideoStream(0, "h264", "yuv420p", 240, 320, 90, "30/1", 30, 30), probe.Video);
        Assert.Equal("aac", probe.AudioCodec);
        Assert.Equal(1.0, probe.Duration);
        Assert.Equal(417_808, probe.Bitrate);
        Assert.False(probe.HasCoverArt);
    }

    [Fact]
    public void Webm_with_sound()
    {
        var probe = Captured("webm-with-audio.webm");
        Assert.Equal("matroska,webm", probe.FormatName);
        Assert.Equal(("vp9", 320, 240, "30/1"), (probe.Video!.Codec, probe.Video.Width, probe.Video.Height, probe.Video.FrameRate));
        Assert.Equal("opus", probe.AudioCodec);
        Assert.Equal(1.008, probe.Duration);
    }

    [Fact]
    public void Mastodons_attachment_webm_gives_the_meta_of_its_spec()
    {
        var probe = Captured("mastodon-attachment.webm");
        Assert.Equal((960, 540, "30000/1001"), (probe.Video!.Width, probe.Video.Height, probe.Video.FrameRate));
        Assert.Equal((0.1, 3_502_160L), (probe.Duration, probe.Bitrate));
        Assert.Null(probe.AudioCodec);
    }

    [Fact]
    public void Silent_mp4_has_no_audio_codec()
    {
        var probe = Captured("silent.mp4");
        Assert.Equal("yuv444p", probe.Video!.PixelFormat);
        Assert.Null(probe.AudioCodec);
    }

    [Theory]
    [InlineData("audio-cover.mp3", "mp3", "mp3")]
    [InlineData("audio-cover.ogg", "ogg", "vorbis")]
    [InlineData("mastodon-boop.ogg", "ogg", "vorbis")]
    public void Cover_art_is_not_a_video_stream(string name, string format, string audio)
    {
        var probe = Captured(name);
        Assert.Equal((format, audio), (probe.FormatName, probe.AudioCodec));
        Assert.Null(probe.Video);
        Assert.True(probe.HasCoverArt);
        Assert.Equal(1, probe.CoverArtStreamIndex);
    }

    [Fact]
    public void Boop_ogg_has_Mastodons_duration_and_bitrate() =>
        Assert.Equal((0.235102, 387_202L), (Captured("mastodon-boop.ogg").Duration, Captured("mastodon-boop.ogg").Bitrate));

    [Fact]
    public void Animated_gif_uses_the_average_frame_rate()
    {
        var probe = Captured("mastodon-avatar.gif");
        Assert.Equal("gif", probe.FormatName);
        Assert.Equal(("229/12", 59.0), (probe.Video!.FrameRate, probe.Video.RFrameRateValue));
        Assert.Equal(229.0 / 12, probe.Video.FrameRateValue);
        Assert.Equal(0.52, probe.Duration);
        Assert.Equal("gif", Captured("animated.gif").FormatName);
    }

    [Fact]
    public void Frame_rate_over_the_limit_is_visible() =>
        Assert.True(Math.Floor(Captured("fps-240.mp4").Video!.FrameRateValue) > 120);

    [Fact]
    public void Unknown_average_falls_back_to_r_frame_rate_and_fractions_are_reduced()
    {
        var fallback = MediaProbe.Parse(Json("""{"codec_type":"video","width":10,"height":20,"avg_frame_rate":"0/0","r_frame_rate":"50/2"}"""));
        Assert.Equal(("25/1", 25.0), (fallback.Video!.FrameRate, fallback.Video.FrameRateValue));
        var none = MediaProbe.Parse(Json("""{"codec_type":"video","avg_frame_rate":"0/0","r_frame_rate":"0/0"}"""));
        Assert.Equal((null, 0.0), (none.Video!.FrameRate, none.Video.FrameRateValue));
    }

    [Theory]
    [InlineData("""{"codec_type":"video","width":640,"height":480,"tags":{"rotate":"-90"}}""", 270, 480, 640)]
    [InlineData("""{"codec_type":"video","width":640,"height":480,"side_data_list":[{"rotation":-180}]}""", 180, 640, 480)]
    [InlineData("""{"codec_type":"video","width":640,"height":480,"side_data_list":[{"side_data_type":"x"},{"rotation":270}]}""", 270, 480, 640)]
    public void Rotation_comes_from_side_data_or_the_rotate_tag(string stream, int rotation, int width, int height)
    {
        var video = MediaProbe.Parse(Json(stream)).Video!;
        Assert.Equal((rotation, width, height), (video.Rotation, video.Width, video.Height));
    }

    [Fact]
    public void Missing_format_fields_are_null()
    {
        var probe = MediaProbe.Parse("""{"streams":[],"format":{"format_name":"ogg","duration":"N/A"}}""");
        Assert.Equal(("ogg", (double?)null, (long?)null), (probe.FormatName, probe.Duration, probe.Bitrate));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{}")]
    [InlineData("""{"streams":[]}""")]
    public void Output_that_is_not_ffprobe_json_is_a_format_error(string text) =>
        Assert.Throws<FormatException>(() => MediaProbe.Parse(text));

    private static string Json(string stream) => $$$"""{"streams":[{{{stream}}}],"format":{"format_name":"x"}}""";
}
