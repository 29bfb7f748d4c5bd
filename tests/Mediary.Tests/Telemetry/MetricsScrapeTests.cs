using System.Net;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Telemetry;

/// <summary>
/// What an operator's Prometheus reads at /metrics, and that the numbers move with the traffic.
/// Counters are compared before and after, never to absolute values: servers of other tests in
/// this process report through the same meter names.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class MetricsScrapeTests(MediaryApp app) : IClassFixture<MediaryApp>
{
    private const string Uploads = "mediary_media_uploads_total";
    private const string RequestDurations = "http_server_request_duration_seconds_count";

    [Fact]
    public async Task An_accepted_image_upload_moves_the_uploads_counter_and_the_latency_histogram_of_its_route()
    {
        var user = await app.NewUserAsync();
        using var client = app.CreateClient();
        var accepted = new[] { ("face", "mastodon"), ("type", "image"), ("result", "accepted") };
        var route = new[] { ("http_route", "/api/v2/media"), ("http_request_method", "POST"), ("http_response_status_code", "200") };
        var before = await PrometheusScrape.FromAsync(client);

        Assert.Equal(HttpStatusCode.OK, (await user.UploadAsync(Fixtures.Path("600x400.jpg"))).Status);

        var after = await PrometheusScrape.FromAsync(client);
        Assert.True(after.Sum(Uploads, accepted) >= before.Sum(Uploads, accepted) + 1, after.Text);
        Assert.Contains("# TYPE mediary_media_uploads_total counter", after.Text);
        Assert.True(after.Sum(RequestDurations, route) >= before.Sum(RequestDurations, route) + 1, after.Text);
        // A latency histogram with buckets, so p95 by route can be computed.
        var buckets = after.Find("http_server_request_duration_seconds_bucket", route).ToList();
        Assert.Contains(buckets, bucket => bucket.Labels["le"] == "+Inf" && bucket.Value >= 1);
        Assert.True(buckets.Count > 5, "too few buckets for a percentile");
    }

    [Fact]
    public async Task A_refused_upload_is_counted_as_refused_and_its_422_is_seen_by_route_and_status()
    {
        var user = await app.NewUserAsync();
        using var client = app.CreateClient();
        var refused = new[] { ("face", "mastodon"), ("result", "refused") };
        var route = new[] { ("http_route", "/api/v2/media"), ("http_response_status_code", "422") };
        var before = await PrometheusScrape.FromAsync(client);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await user.UploadAsync(Fixtures.Path("html-as.jpg"))).Status);

        var after = await PrometheusScrape.FromAsync(client);
        Assert.True(after.Sum(Uploads, refused) >= before.Sum(Uploads, refused) + 1, after.Text);
        Assert.True(after.Sum(RequestDurations, route) >= before.Sum(RequestDurations, route) + 1, after.Text);
    }

    [Fact]
    public async Task A_processed_video_moves_the_processing_time_of_videos()
    {
        var user = await app.NewUserAsync();
        using var client = app.CreateClient();
        const string processed = "mediary_media_processing_time_seconds_count";
        var before = await PrometheusScrape.FromAsync(client);

        var accepted = await user.UploadAsync(Fixtures.Path("h264-aac.mp4"));
        Assert.Equal(HttpStatusCode.Accepted, accepted.Status);
        Assert.Equal(HttpStatusCode.OK, (await user.WaitUntilProcessedAsync(accepted.Id)).Status);

        var after = await PrometheusScrape.FromAsync(client);
        Assert.True(after.Sum(processed, ("type", "video")) >= before.Sum(processed, ("type", "video")) + 1, after.Text);
        Assert.True(after.Sum(Uploads, ("face", "mastodon"), ("type", "video"), ("result", "accepted"))
            >= before.Sum(Uploads, ("face", "mastodon"), ("type", "video"), ("result", "accepted")) + 1);
    }

    [Fact]
    public async Task Capacity_is_reported_image_helpers_and_ffmpeg_slots_of_each_lane_and_the_queue()
    {
        using var client = app.CreateClient();
        var scrape = await PrometheusScrape.FromAsync(client);

        // The test server keeps two image helpers (Processing:Concurrency) and two ffmpeg slots per lane.
        Assert.Contains(scrape.Find("mediary_processing_image_helpers_limit"), sample => sample.Value == 2);
        Assert.Contains(scrape.Find("mediary_processing_ffmpeg_limit", ("lane", "short")), sample => sample.Value >= 1);
        Assert.Contains(scrape.Find("mediary_processing_ffmpeg_limit", ("lane", "transcode")), sample => sample.Value >= 1);
        Assert.NotEmpty(scrape.Find("mediary_processing_image_helpers_busy"));
        Assert.NotEmpty(scrape.Find("mediary_jobs_queued"));
        Assert.NotEmpty(scrape.Find("mediary_jobs_oldest_age_seconds"));
        // No upload counter here: OpenTelemetry exports a counter from its first measurement on,
        // and which test of this class runs first is not fixed.
    }
}
