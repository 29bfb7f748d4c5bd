using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using Mediary.Media;
using Mediary.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Mediary.Tests.Media;

/// <summary>
/// The <c>Mediary</c> meter, read the way dotnet-counters or an OpenTelemetry exporter reads it:
/// with a MeterListener. Each server's meter comes from its own services, so the listener takes
/// only this test server's instruments, and other servers running alongside (or stopped, with their
/// database gone) neither add to the counts nor break the reading.
/// </summary>
public sealed class MetricsTests(MediaryApp app) : IClassFixture<MediaryApp>, IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentBag<(string Name, double Value, Dictionary<string, string?> Tags)> _seen = [];

    private void Listen()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MediaMetrics.MeterName && instrument.Meter.Scope == app.Services.GetRequiredService<IMeterFactory>())
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, string?>();
        foreach (var tag in tags) copy[tag.Key] = tag.Value?.ToString();
        _seen.Add((instrument.Name, value, copy));
    }

    private int Count(string name, string type, string result) =>
        _seen.Count(m => m.Name == name && m.Tags.GetValueOrDefault("type") == type && m.Tags.GetValueOrDefault("result") == result
            && m.Tags.GetValueOrDefault("face") == "mastodon");

    [Fact]
    public async Task Uploads_are_counted_by_type_and_result_and_jobs_report_their_time_and_the_queue()
    {
        Listen();
        var user = await app.NewUserAsync();
        Assert.Equal(HttpStatusCode.OK, (await user.UploadAsync(Fixtures.Path("600x400.png"))).Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await user.UploadAsync(Fixtures.Path("html-as.jpg"))).Status);
        var video = await user.UploadAsync(Fixtures.Path("webm-with-audio.webm"));
        Assert.Equal(HttpStatusCode.OK, (await user.WaitUntilProcessedAsync(video.Id)).Status);

        Assert.Equal(1, Count("mediary.media.uploads", "image", "accepted"));
        Assert.Equal(1, Count("mediary.media.uploads", "unknown", "refused"));
        Assert.Equal(1, Count("mediary.media.uploads", "video", "accepted"));
        Assert.Single(_seen, m => m.Name == "mediary.media.processing_time" && m.Tags.GetValueOrDefault("type") == "video" && m.Value > 0);

        // The video's job is done, so nothing waits.
        _listener.RecordObservableInstruments();
        Assert.Equal(0, Assert.Single(_seen, m => m.Name == "mediary.jobs.queued").Value);
    }

    public void Dispose() => _listener.Dispose();
}
