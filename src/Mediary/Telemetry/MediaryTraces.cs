using System.Diagnostics;

namespace Mediary.Telemetry;

/// <summary>
/// Mediary's spans (activity source <c>Mediary</c>): <c>media.upload</c> inside the upload
/// request, <c>job &lt;kind&gt;</c> around a job's run, continuing the trace of the request that queued
/// it, and <c>ffmpeg</c>, <c>ffprobe</c> and <c>image-helper &lt;op&gt;</c> around each tool run. Without a
/// listener (tracing off) no span is made and the calls cost a null check.
/// </summary>
public static class MediaryTraces
{
    public const string SourceName = "Mediary";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>The W3C <c>traceparent</c> of the current span, to store with a job; null when nothing is traced.</summary>
    public static string? CurrentTraceParent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C, Recorded: true } current ? current.Id : null;

    /// <summary>The span of a job's run: a child of the span that queued it when <paramref name="traceParent"/> is a valid one.</summary>
    public static Activity? StartJob(string kind, string? traceParent)
    {
        var parent = ActivityContext.TryParse(traceParent, null, isRemote: true, out var context) ? context : default;
        return Source.StartActivity($"job {kind}", ActivityKind.Consumer, parent);
    }

    /// <summary>Marks the span failed with the exception's type and message (never a stack trace with server paths).</summary>
    public static void Failed(this Activity? activity, Exception failure)
    {
        if (activity is null) return;
        activity.SetStatus(ActivityStatusCode.Error, failure.Message);
        activity.SetTag("error.type", failure.GetType().FullName);
    }
}
