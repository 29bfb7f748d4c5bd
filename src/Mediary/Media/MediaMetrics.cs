using System.Diagnostics.Metrics;
using Mediary.Jobs;

namespace Mediary.Media;

/// <summary>
/// Mediary's counters and histograms (meter <c>Mediary</c>), readable with any
/// <c>System.Diagnostics.Metrics</c> listener, e.g. <c>dotnet-counters monitor -n Mediary --counters Mediary</c>.
/// The meter comes from the host's <see cref="IMeterFactory"/>, so it lives and dies with the
/// process's services, and the queue gauge reads this process's own queue.
/// </summary>
public sealed class MediaMetrics
{
    public const string MeterName = "Mediary";

    /// <summary>Uploads by API face (<c>mastodon</c>, <c>direct</c>), media type and result (<c>accepted</c>, <c>refused</c>).</summary>
    private readonly Counter<long> _uploads;

    /// <summary>Background processing time of video, audio and GIF jobs, in seconds, by media type.</summary>
    private readonly Histogram<double> _processing;

    public MediaMetrics(IMeterFactory meters, IJobQueue queue, ILogger<MediaMetrics> logger)
    {
        var meter = meters.Create(MeterName);
        _uploads = meter.CreateCounter<long>("mediary.media.uploads", description: "Uploads by face, type and result");
        _processing = meter.CreateHistogram("mediary.media.processing_time", unit: "s",
            description: "Time a background job took to process a media", tags: null, advice: new InstrumentAdvice<double>
            {
                // From a passthrough of a short clip to a long transcode.
                HistogramBucketBoundaries = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800],
            });
        meter.CreateObservableGauge("mediary.jobs.queued", () => QueueDepth(queue, logger), description: "Jobs waiting for a worker");
        meter.CreateObservableGauge("mediary.jobs.oldest_age", () => OldestAge(queue, logger), unit: "s",
            description: "How long the oldest job waiting for a worker has waited since it was queued (0 when none waits)");
    }

    public void Upload(string face, string type, bool accepted) =>
        _uploads.Add(1, new("face", face), new("type", type), new("result", accepted ? "accepted" : "refused"));

    public void Processed(string type, TimeSpan elapsed) => _processing.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("type", type));

    /// <summary>
    /// The queue's depth when the database answers; no measurement when it does not, so a
    /// collector reading the meter during an outage sees a gap instead of an exception.
    /// </summary>
    private static IEnumerable<Measurement<long>> QueueDepth(IJobQueue queue, ILogger logger)
    {
        long depth;
        try
        {
            depth = queue.QueuedCountAsync().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogDebug(e, "The job queue's depth could not be read");
            return [];
        }
        return [new Measurement<long>(depth)];
    }

    /// <summary>The oldest queued job's age in seconds, 0 for an empty queue; a gap, like the depth, while the database is out.</summary>
    private static IEnumerable<Measurement<double>> OldestAge(IJobQueue queue, ILogger logger)
    {
        DateTimeOffset? oldest;
        try
        {
            oldest = queue.OldestQueuedAtAsync().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogDebug(e, "The age of the oldest queued job could not be read");
            return [];
        }
        var age = oldest is { } queued ? Math.Max(0, (DateTimeOffset.UtcNow - queued).TotalSeconds) : 0;
        return [new Measurement<double>(age)];
    }
}
