using Mediary.Media;
using Mediary.Processing;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Processing;

/// <summary>
/// <see cref="Mp4Summary"/> reads the meta of the MP4s the jobs write without starting ffprobe:
/// checked against ffprobe itself on real outputs of the job's own commands.
/// </summary>
public sealed class Mp4SummaryTests
{
    private static readonly FfmpegRunner Ffmpeg = new(2);
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static TheoryData<string, string> Outputs => new()
    {
        { "h264-aac.mp4", "passthrough" },
        { "rotated-90.mp4", "passthrough" },
        { "quicktime.mov", "transcode" },
        { "webm-with-audio.webm", "transcode" },
        { "rotated-90.mp4", "transcode" },
        { "silent.mp4", "transcode" },
        { "960x540.mp4", "transcode" },
        { "animated.gif", "transcode" },
    };

    [Theory]
    [MemberData(nameof(Outputs))]
    public async Task Agrees_with_ffprobe_on_the_jobs_outputs(string fixture, string how)
    {
        var output = Path.Combine(Directory.CreateTempSubdirectory("mp4-summary").FullName, "out.mp4");
        try
        {
            var source = Fixtures.Path(fixture);
            var probe = await MediaProbe.ProbeAsync(Ffmpeg, source, Timeout, CancellationToken.None);
            var arguments = how == "passthrough" ? FfmpegCommands.Passthrough(source, output) : FfmpegCommands.Transcode(source, output, probe, 99 * 1024 * 1024);
            await Ffmpeg.RunAsync("ffmpeg", arguments, Timeout, CancellationToken.None);

            var expected = VideoUploadPipeline.VideoGeometry(await MediaProbe.ProbeAsync(Ffmpeg, output, Timeout, CancellationToken.None));
            var read = Mp4Summary.TryRead(output);

            Assert.NotNull(read);
            Assert.Equal((expected.Width, expected.Height, expected.FrameRate), (read.Width, read.Height, read.FrameRate));
            Assert.InRange(read.Duration, expected.Duration!.Value - 0.001, expected.Duration.Value + 0.001);
            Assert.InRange(read.Bitrate, expected.Bitrate!.Value * 0.999, expected.Bitrate.Value * 1.001);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(output)!, recursive: true);
        }
    }

    [Fact]
    public void Gives_nothing_for_a_file_that_is_not_an_mp4_or_has_no_moov_up_front()
    {
        Assert.Null(Mp4Summary.TryRead(Fixtures.Path("600x400.png")));
        Assert.Null(Mp4Summary.TryRead(Fixtures.Path("webm-with-audio.webm")));
        Assert.Null(Mp4Summary.TryRead(Fixtures.Path("truncated.mp4")));
    }
}
