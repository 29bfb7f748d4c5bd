using System.Diagnostics.Metrics;

namespace Mediary.Media;

/// <summary>
/// Mediary's counters and histograms (meter <c>Mediary</c>), readable with any
/// <c>System.Diagnostics.Metrics</c> listener, e.g. <c>dotnet-counters monitor -n Mediary --counters Mediary</c>.
/// </summary>
public static class MediaMetrics
{
    public const string MeterName = "Mediary";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Uploads by API face (<c>mastodon</c>, <c>direct</c>), media type and result (<c>accepted</c>, <c>refused</c>).</summary>
    private static readonly Counter<long> Uploads = Meter.CreateCounter<long>("mediary.media.uploads", description: "Uploads by face, type and result");

    /// <summary>Background processing time of video, audio and GIF jobs, in seconds, by media type.</summary>
    private static readonly Histogram<double> Processing = Meter.CreateHistogram<double>("mediary.media.processing_time", unit: "s",
        description: "Time a background job took to process a media");

    private static Func<long>? _queueDepth;

    static MediaMetrics()
    {
        Meter.CreateObservableGauge("mediary.jobs.queued", () => _queueDepth?.Invoke() ?? 0, description: "Jobs waiting for a worker");
    }

    public static void Upload(string face, string type, bool accepted) =>
        Uploads.Add(1, new("face", face), new("type", type), new("result", accepted ? "accepted" : "refused"));

    public static void Processed(string type, TimeSpan elapsed) => Processing.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("type", type));

    /// <summary>Where the queue depth gauge reads from (the process's job queue).</summary>
    public static void ObserveQueue(Func<long> depth) => _queueDepth = depth;
}
