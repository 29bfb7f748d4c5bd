namespace Mediary.Tests.Telemetry;

/// <summary>
/// The telemetry tests run alone, after the others. OpenTelemetry listens to meters and activity
/// sources by name across the whole process, so while other test servers run, one server's
/// /metrics may answer another's gauges (its queue, its helpers) and its spans mix with theirs.
/// In production one process holds one server, and the question does not arise.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry";
}
