using Mediary.Processing;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Processing;

/// <summary>
/// Short ffmpeg steps (probes, first frames) have slots of their own, so they never queue behind
/// transcodes; and the wait for a slot is bounded, ending in <see cref="ProcessingBusyException"/>.
/// </summary>
public sealed class FfmpegLaneTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private static string[] Endless() => EndlessFfmpeg.Arguments(Fixtures.Path("h264-aac.mp4"));

    [Fact]
    public async Task A_probe_runs_while_every_transcode_slot_is_taken()
    {
        var runner = new FfmpegRunner(1, slotWait: TimeSpan.FromSeconds(30));
        using var stop = new CancellationTokenSource();
        var transcode = runner.RunAsync("ffmpeg", Endless(), Timeout, stop.Token, FfmpegLane.Transcode);

        var probe = await MediaProbe.ProbeAsync(runner, Fixtures.Path("webm-with-audio.webm"), Timeout, CancellationToken.None);

        Assert.Equal("vp9", probe.Video?.Codec);
        Assert.False(transcode.IsCompleted, "the endless transcode ended early");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => transcode);
    }

    [Fact]
    public async Task A_run_that_finds_no_free_slot_within_the_wait_is_refused_as_busy()
    {
        var runner = new FfmpegRunner(1, slotWait: TimeSpan.FromSeconds(1));
        using var stop = new CancellationTokenSource();
        var holding = runner.RunAsync("ffmpeg", Endless(), Timeout, stop.Token);

        await Assert.ThrowsAsync<ProcessingBusyException>(() =>
            MediaProbe.ProbeAsync(runner, Fixtures.Path("webm-with-audio.webm"), Timeout, CancellationToken.None));

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => holding);
        // Its slot is free again.
        Assert.NotNull((await MediaProbe.ProbeAsync(runner, Fixtures.Path("webm-with-audio.webm"), Timeout, CancellationToken.None)).Video);
    }
}
