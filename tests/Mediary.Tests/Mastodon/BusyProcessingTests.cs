using System.Net;
using Mediary.Processing;
using Mediary.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Mediary.Tests.Mastodon;

/// <summary>
/// When every ffmpeg slot stays taken for longer than an upload may wait, the upload is the
/// service's temporary trouble, not the file's: Mastodon's 503, and nothing left behind.
/// </summary>
public sealed class BusyProcessingTests(ShortSlotWaitApp app) : IClassFixture<ShortSlotWaitApp>
{
    [Fact]
    public async Task A_video_upload_that_finds_every_probe_slot_taken_is_a_503()
    {
        var user = await app.NewUserAsync();
        var runner = app.Services.GetRequiredService<FfmpegRunner>();
        using var stop = new CancellationTokenSource();
        var endless = EndlessFfmpeg.Arguments(Fixtures.Path("h264-aac.mp4"));
        // Jobs:FfmpegConcurrency is 2: both short-step slots held.
        var held = Enumerable.Range(0, 2).Select(_ => runner.RunAsync("ffmpeg", endless, TimeSpan.FromMinutes(2), stop.Token)).ToList();
        try
        {
            var answer = await user.UploadAsync(Fixtures.Path("webm-with-audio.webm"));
            answer.AssertError(HttpStatusCode.ServiceUnavailable, "There was a temporary problem serving your request, please try again");
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var run in held) await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        }

        var temp = Path.Combine(app.DataDirectory, "tmp");
        Assert.Empty(Directory.Exists(temp) ? Directory.GetFiles(temp) : []);
        // With the slots free again, the same file is taken.
        Assert.Equal(HttpStatusCode.Accepted, (await user.UploadAsync(Fixtures.Path("webm-with-audio.webm"))).Status);
    }
}
