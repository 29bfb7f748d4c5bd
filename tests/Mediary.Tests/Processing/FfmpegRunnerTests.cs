using System.Diagnostics;
using Mediary.Processing;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Processing;

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
        var error = await Assert.ThrowsAsync<FfmpegException>(() => _runner.RunAsync("ffmpeg", EndlessFfmpeg.Arguments(input), TimeSpan.FromSeconds(1), Ct));
        Assert.True(error.TimedOut);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(15));
        Assert.False(AnyProcessMentions(Path.GetFileName(input)));
    }

    [Fact]
    public async Task Cancellation_kills_the_process()
    {
        var input = UniqueCopy("h264-aac.mp4");
        using var cancel = new CancellationTokenSource();
        var run = _runner.RunAsync("ffmpeg", EndlessFfmpeg.Arguments(input), Generous, cancel.Token);
        Assert.True(await Polling.UntilAsync(() => Task.FromResult(AnyProcessMentions(Path.GetFileName(input))), TimeSpan.FromSeconds(20)),
            "the ffmpeg process should be visible while it runs");
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
        var runs = Enumerable.Range(0, 2).Select(_ => Assert.ThrowsAsync<FfmpegException>(() => single.RunAsync("ffmpeg", EndlessFfmpeg.Arguments(input), TimeSpan.FromSeconds(1), Ct)));
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
