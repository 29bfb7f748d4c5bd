using System.Net;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Telemetry;

/// <summary>
/// With <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, metrics and traces are pushed to the collector
/// (the only way out for the <c>worker</c> command, which registers the same exporters).
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class OtlpExportTests
{
    [Fact]
    public async Task An_upload_reaches_the_collector_as_metrics_and_as_a_trace()
    {
        await using var collector = await OtlpReceiver.StartAsync();
        await using var app = new OtlpApp(collector.Url);
        var user = await app.NewUserAsync();

        Assert.Equal(HttpStatusCode.OK, (await user.UploadAsync(Fixtures.Path("600x400.jpg"))).Status);

        Assert.True(await Polling.UntilAsync(() => Task.FromResult(collector.Received("traces", "media.upload")), TimeSpan.FromSeconds(30)),
            "no trace with the upload's span reached the collector");
        Assert.True(await Polling.UntilAsync(() => Task.FromResult(collector.Received("metrics", "mediary.media.uploads")
            && collector.Received("metrics", "mediary.jobs.queued") && collector.Received("metrics", "http.server.request.duration")),
            TimeSpan.FromSeconds(30)), "the collector did not receive Mediary's metrics");
    }
}
