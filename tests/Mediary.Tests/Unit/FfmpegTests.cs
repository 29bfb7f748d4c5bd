using System.Diagnostics;
using Mediary.Processing;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Unit;

/// <summary><see cref="MediaProbe.Parse"/> on ffprobe JSON captured from the fixtures (Unit/ffprobe/*.json).</summary>
public sealed class FfmpegProbeParsingTests
{
    internal static MediaProbe Captured(string name) =>
        MediaProbe.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "Mediary.Tests", "Unit", "ffprobe", name + ".json")));

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

/// <summary>The runner and the commands against the real ffmpeg 5.1 and the generated fixtures.</summary>
public sealed class FfmpegRunnerTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);
    private readonly FfmpegRunner _runner = new(maxConcurrent: 2);
    private readonly ScratchDirectory _scratch = new("mediary-ffmpeg-tests-");

    public void Dispose() => _scratch.Dispose();

    private string Temp(string name) => _scratch.PathOf(name);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string UniqueCopy(string fixture) => _scratch.UniqueCopy(fixture);

    /// <summary>An endless run: the input is looped forever.</summary>
    private static string[] Endless(string input) => ["-stream_loop", "-1", "-i", input, "-f", "null", "-"];

    private static bool AnyProcessMentions(string text) =>
        Directory.EnumerateDirectories("/proc").Any(dir =>
        {
            try
            {
                return int.TryParse(Path.GetFileName(dir), out _) && File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(text);
            }
            catch (IOException)
            {
                return false;
            }
            catch (UnauthorizedAccessException)
            {
                return false;
            }
        });

    [Fact]
    public async Task Timeout_kills_the_process_and_says_so()
    {
        var input = UniqueCopy("h264-aac.mp4");
        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<FfmpegException>(() => _runner.RunAsync("ffmpeg", Endless(input), TimeSpan.FromSeconds(1), Ct));
        Assert.True(error.TimedOut);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(15));
        Assert.False(AnyProcessMentions(Path.GetFileName(input)));
    }

    [Fact]
    public async Task Cancellation_kills_the_process()
    {
        var input = UniqueCopy("h264-aac.mp4");
        using var cancel = new CancellationTokenSource();
        var run = _runner.RunAsync("ffmpeg", Endless(input), Generous, cancel.Token);
        await Task.Delay(500, Ct);
        Assert.True(AnyProcessMentions(Path.GetFileName(input)), "the ffmpeg process should be visible while it runs");
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.False(AnyProcessMentions(Path.GetFileName(input)));
    }

    [Fact]
    public async Task Runs_beyond_the_limit_wait_for_a_slot()
    {
        var single = new FfmpegRunner(maxConcurrent: 1);
        var input = UniqueCopy("h264-aac.mp4");
        var clock = Stopwatch.StartNew();
        var runs = Enumerable.Range(0, 2).Select(_ => Assert.ThrowsAsync<FfmpegException>(() => single.RunAsync("ffmpeg", Endless(input), TimeSpan.FromSeconds(1), Ct)));
        var errors = await Task.WhenAll(runs);
        Assert.All(errors, e => Assert.True(e.TimedOut));
        // One after the other: the second run's second only starts when the first is killed.
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Endless_stdout_is_cut_off()
    {
        var input = UniqueCopy("h264-aac.mp4");
        string[] arguments = ["-stream_loop", "-1", "-i", input, "-f", "rawvideo", "-"];
        var error = await Assert.ThrowsAsync<FfmpegException>(() => _runner.RunAsync("ffmpeg", arguments, Generous, Ct));
        Assert.False(error.TimedOut);
        Assert.Contains("more than", error.Message);
        Assert.False(AnyProcessMentions(Path.GetFileName(input)));
    }

    [Fact]
    public async Task Failure_carries_exit_code_and_stderr()
    {
        var error = await Assert.ThrowsAsync<FfmpegException>(() => MediaProbe.ProbeAsync(_runner, Fixtures.Path("truncated.mp4"), Generous, Ct));
        Assert.Equal((1, false), (error.ExitCode, error.TimedOut));
        Assert.Contains("moov atom not found", error.StderrTail);
    }

    [Theory]
    [InlineData("h264-aac.mp4", "mov,mp4,m4a,3gp,3g2,mj2")]
    [InlineData("quicktime.mov", "mov,mp4,m4a,3gp,3g2,mj2")]
    [InlineData("webm-with-audio.webm", "matroska,webm")]
    [InlineData("audio-only.webm", "matroska,webm")]
    [InlineData("audio-only.ogg", "ogg")]
    [InlineData("audio-cover.ogg", "ogg")]
    [InlineData("audio.mp3", "mp3")]
    [InlineData("animated.gif", "gif")]
    public async Task Whitelists_let_every_supported_container_through(string fixture, string format) =>
        Assert.Equal(format, (await MediaProbe.ProbeAsync(_runner, Fixtures.Path(fixture), Generous, Ct)).FormatName);

    [Fact]
    public async Task Disguised_hls_playlist_is_refused()
    {
        var playlist = Fixtures.Path("playlist-as.mp4");
        var probeError = await Assert.ThrowsAsync<FfmpegException>(() => MediaProbe.ProbeAsync(_runner, playlist, Generous, Ct));
        Assert.Contains("Format not on whitelist", probeError.StderrTail);

        var output = Temp("out.mp4");
        var fakeProbe = FfmpegProbeParsingTests.Captured("h264-aac.mp4");
        foreach (var arguments in new[] { FfmpegCommands.Transcode(playlist, output, fakeProbe, 99L << 20), FfmpegCommands.Passthrough(playlist, output) })
        {
            var error = await Assert.ThrowsAsync<FfmpegException>(() => _runner.RunAsync("ffmpeg", arguments, Generous, Ct));
            Assert.False(error.TimedOut);
            Assert.False(File.Exists(output));
        }
    }

    [Fact]
    public async Task Playlist_naming_a_local_video_is_followed_by_plain_ffprobe_but_not_by_the_runner()
    {
        // The guard that matters: without -format_whitelist, ffmpeg 5.1 reads any local file with a
        // media extension that a playlist names, e.g. another user's upload.
        var target = UniqueCopy("h264-aac.mp4");
        var playlist = Temp("innocent.mp4");
        File.WriteAllText(playlist, $"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10.0,\nfile://{target}\n#EXT-X-ENDLIST\n");
        var naive = Tools.MustRun("ffprobe", "-v", "error", "-show_entries", "format=format_name", "-of", "csv=p=0", playlist);
        Assert.Equal("hls", naive.Trim());

        var error = await Assert.ThrowsAsync<FfmpegException>(() => MediaProbe.ProbeAsync(_runner, playlist, Generous, Ct));
        Assert.Contains("Format not on whitelist", error.StderrTail);
    }

    [Theory]
    [InlineData("960x540.mp4", 640, 360)]
    [InlineData("h264-aac.mp4", 320, 240)]
    [InlineData("rotated-90.mp4", 240, 320)]
    [InlineData("webm-with-audio.webm", 320, 240)]
    public async Task First_frame_fits_640_and_never_grows(string fixture, int width, int height)
    {
        var png = Temp("frame.png");
        await _runner.RunAsync("ffmpeg", FfmpegCommands.FirstFrame(Fixtures.Path(fixture), png), Generous, Ct);
        Assert.Equal((width, height), Tools.ImageSize(png));
    }

    [Fact]
    public async Task Passthrough_keeps_the_video_stream_bytes()
    {
        var input = Fixtures.Path("h264-aac.mp4");
        var output = Temp("passthrough.mp4");
        await _runner.RunAsync("ffmpeg", FfmpegCommands.Passthrough(input, output), Generous, Ct);
        Assert.Equal(VideoMd5(input), VideoMd5(output));
        var probe = await MediaProbe.ProbeAsync(_runner, output, Generous, Ct);
        Assert.Equal(("h264", "aac"), (probe.Video!.Codec, probe.AudioCodec));
    }

    private static string VideoMd5(string path) => Tools.MustRun("ffmpeg", "-v", "error", "-i", path, "-map", "0:v", "-c", "copy", "-f", "md5", "-").Trim();

    [Theory]
    [InlineData("quicktime.mov", 320, 240, "aac")]
    [InlineData("webm-with-audio.webm", 320, 240, "aac")]
    [InlineData("silent.mp4", 320, 240, null)]
    [InlineData("rotated-90.mp4", 240, 320, "aac")]
    [InlineData("animated.gif", 128, 128, null)]
    public async Task Transcode_gives_h264_yuv420p_mp4(string fixture, int width, int height, string? audio)
    {
        var input = Fixtures.Path(fixture);
        var output = Temp("transcoded.mp4");
        var source = await MediaProbe.ProbeAsync(_runner, input, Generous, Ct);
        await _runner.RunAsync("ffmpeg", FfmpegCommands.Transcode(input, output, source, 99L << 20), Generous, Ct);

        var result = await MediaProbe.ProbeAsync(_runner, output, Generous, Ct);
        Assert.Equal("mov,mp4,m4a,3gp,3g2,mj2", result.FormatName);
        // ffmpeg turns the picture upright, so the result carries no rotation.
        Assert.Equal(("h264", "yuv420p", width, height, 0), (result.Video!.Codec, result.Video.PixelFormat, result.Video.Width, result.Video.Height, result.Video.Rotation));
        Assert.Equal(audio, result.AudioCodec);
        Assert.True(FfmpegCommands.CanPassThrough("mp4", result));
    }

    [Theory]
    [InlineData("audio-cover.mp3")]
    [InlineData("audio-only.ogg")]
    [InlineData("audio-only.webm")]
    [InlineData("webm-with-audio.webm")]
    public async Task Audio_becomes_a_plain_mp3(string fixture)
    {
        var output = Temp("audio.mp3");
        await _runner.RunAsync("ffmpeg", FfmpegCommands.AudioToMp3(Fixtures.Path(fixture), output), Generous, Ct);
        var probe = await MediaProbe.ProbeAsync(_runner, output, Generous, Ct);
        Assert.Equal(("mp3", "mp3", false), (probe.FormatName, probe.AudioCodec, probe.HasCoverArt));
        Assert.Null(probe.Video);
    }

    [Theory]
    [InlineData("audio-cover.mp3")]
    [InlineData("audio-cover.ogg")]
    public async Task Cover_art_is_extracted_as_png(string fixture)
    {
        var png = Temp("cover.png");
        await _runner.RunAsync("ffmpeg", FfmpegCommands.CoverArt(Fixtures.Path(fixture), png), Generous, Ct);
        Assert.Equal((150, 150), Tools.ImageSize(png));
        Assert.Equal("38 140 217", Tools.MustRun("vips", "getpoint", png, "10", "10").Trim()); // #268cd9
        Assert.Equal("255 255 255", Tools.MustRun("vips", "getpoint", png, "75", "75").Trim());
    }

    [Fact]
    public async Task Cover_art_of_Mastodons_boop_ogg()
    {
        var boop = Fixtures.Mastodon("boop.ogg");
        var probe = await MediaProbe.ProbeAsync(_runner, boop, Generous, Ct);
        var png = Temp("boop.png");
        await _runner.RunAsync("ffmpeg", FfmpegCommands.CoverArt(boop, png, probe.CoverArtStreamIndex), Generous, Ct);
        Assert.Equal((150, 150), Tools.ImageSize(png));
    }

    [Fact]
    public async Task No_cover_art_is_an_error() =>
        await Assert.ThrowsAsync<FfmpegException>(() => _runner.RunAsync("ffmpeg", FfmpegCommands.CoverArt(Fixtures.Path("audio.mp3"), Temp("none.png")), Generous, Ct));
}
