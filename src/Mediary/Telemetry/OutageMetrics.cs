using System.Diagnostics.Metrics;
using Mediary.Web;

namespace Mediary.Telemetry;

/// <summary>
/// <c>mediary.errors</c>: failures that are the service's trouble rather than the request's or the
/// file's (see <see cref="Outages"/>), by <c>part</c> (<c>storage</c>, <c>database</c>,
/// <c>processing</c>: no slot free in time) and <c>during</c> (<c>request</c>, <c>job</c>).
/// </summary>
public sealed class OutageMetrics
{
    private readonly Counter<long> _errors;

    public OutageMetrics(IMeterFactory meters) =>
        _errors = meters.Create(Media.MediaMetrics.MeterName).CreateCounter<long>("mediary.errors",
            description: "Requests and job attempts that failed because storage or the database was unavailable, or processing was busy");

    /// <summary>Counts <paramref name="failure"/> when it is an outage; returns which part was out (null: not an outage).</summary>
    public Outages.Part? Count(Exception failure, string during)
    {
        if (Outages.Of(failure) is not { } part) return null;
        _errors.Add(1, new("part", part.ToString().ToLowerInvariant()), new("during", during));
        return part;
    }
}
