namespace Mediary.Tests.Infrastructure;

/// <summary>
/// A server configured as an operator points a process at a collector: OpenTelemetry's own
/// variables for the endpoint and protocol, and metrics exported every half second.
/// </summary>
public sealed class OtlpApp(string endpoint) : MediaryApp(new()
{
    ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint,
    ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
    ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
});
