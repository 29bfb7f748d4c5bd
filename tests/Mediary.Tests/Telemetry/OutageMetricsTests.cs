using System.Net;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Telemetry;

/// <summary>A storage outage answered with 503 is counted where an alert can see it, on both faces.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class OutageMetricsTests
{
    [Fact]
    public async Task Uploads_refused_for_a_missing_media_directory_count_as_storage_errors_during_requests()
    {
        await using var app = new LocalDiskApp();
        var user = await app.NewUserAsync();
        using var client = app.CreateClient();
        var storage = new[] { ("part", "storage"), ("during", "request") };
        var before = await PrometheusScrape.FromAsync(client);

        Directory.Delete(app.LocalStorage!.Root, recursive: true);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await user.UploadAsync(Fixtures.Path("600x400.jpg"))).Status);

        var after = await PrometheusScrape.FromAsync(client);
        Assert.True(after.Sum("mediary_errors_total", storage) >= before.Sum("mediary_errors_total", storage) + 1, after.Text);
        Assert.True(after.Sum("http_server_request_duration_seconds_count", ("http_route", "/api/v2/media"), ("http_response_status_code", "503")) >= 1);
    }
}
