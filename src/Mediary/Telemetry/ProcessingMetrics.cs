using System.Diagnostics.Metrics;
using Mediary.Processing;

namespace Mediary.Telemetry;

/// <summary>
/// How much of this process's processing capacity is in use, read when a collector asks:
/// <c>mediary.processing.image_helpers.busy</c> of <c>.image_helpers.limit</c>, and
/// <c>mediary.processing.ffmpeg.busy</c> of <c>.ffmpeg.limit</c> per <c>lane</c> (<c>short</c>:
/// probes and first frames; <c>transcode</c>). Busy at the limit for long means uploads and jobs wait.
/// </summary>
internal sealed class ProcessingMetrics
{
    private static readonly KeyValuePair<string, object?> Short = new("lane", "short");
    private static readonly KeyValuePair<string, object?> Transcode = new("lane", "transcode");

    public ProcessingMetrics(IMeterFactory meters, ImageHelperPool helpers, FfmpegRunner ffmpeg)
    {
        var meter = meters.Create(Media.MediaMetrics.MeterName);
        meter.CreateObservableGauge("mediary.processing.image_helpers.busy", () => helpers.Taken,
            description: "Image helper processes serving a request");
        meter.CreateObservableGauge("mediary.processing.image_helpers.limit", () => helpers.Size,
            description: "Image helper processes kept by this process");
        meter.CreateObservableGauge("mediary.processing.ffmpeg.busy", () => new Measurement<int>[]
        {
            new(ffmpeg.Busy(FfmpegLane.Short), Short), new(ffmpeg.Busy(FfmpegLane.Transcode), Transcode),
        }, description: "ffmpeg and ffprobe slots held by a run, by lane");
        meter.CreateObservableGauge("mediary.processing.ffmpeg.limit", () => new Measurement<int>[]
        {
            new(ffmpeg.SlotsPerLane, Short), new(ffmpeg.SlotsPerLane, Transcode),
        }, description: "ffmpeg and ffprobe slots of this process, by lane");
    }
}
