using System.Net;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Telemetry;

/// <summary>
/// While the one worker is stuck on a transcode, /metrics shows it: a transcode slot busy, a job
/// queued behind it and the age of that job growing. Afterwards the queue is empty again.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class QueueMetricsTests
{
    [Fact]
    public async Task A_stuck_transcode_shows_as_a_busy_transcode_slot_a_queued_job_and_its_growing_age()
    {
        await using var app = new OneWorkerLocalDiskApp();
        var user = await app.NewUserAsync();
        using var client = app.CreateClient();
        var first = await user.UploadAsync(LongVideo.Path720p);
        Assert.Equal(HttpStatusCode.Accepted, first.Status);

        PrometheusScrape stuck, later;
        using (await FrozenTranscode.WaitAsync(Path.Combine(app.DataDirectory, "tmp"), TimeSpan.FromSeconds(60)))
        {
            var second = await user.UploadAsync(Fixtures.Path("h264-aac.mp4"));
            Assert.Equal(HttpStatusCode.Accepted, second.Status);
            stuck = await PrometheusScrape.FromAsync(client);
            await Task.Delay(1500);
            later = await PrometheusScrape.FromAsync(client);
        }

        Assert.Contains(stuck.Find("mediary_processing_ffmpeg_busy", ("lane", "transcode")), sample => sample.Value >= 1);
        Assert.Contains(stuck.Find("mediary_jobs_queued"), sample => sample.Value >= 1);
        Assert.True(later.Find("mediary_jobs_oldest_age_seconds").Select(sample => sample.Value).DefaultIfEmpty().Max() >= 1, later.Text);

        Assert.Equal(HttpStatusCode.OK, (await user.WaitUntilProcessedAsync(first.Id, TimeSpan.FromMinutes(3))).Status);
        Assert.True(await Polling.UntilAsync(async () =>
        {
            var scrape = await PrometheusScrape.FromAsync(client);
            return scrape.Sum("mediary_jobs_queued") == 0 && scrape.Sum("mediary_jobs_oldest_age_seconds") == 0;
        }, TimeSpan.FromMinutes(2)), "the queue did not empty");
    }
}
