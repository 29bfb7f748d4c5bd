using System.ComponentModel.DataAnnotations;

namespace Mediary.Telemetry;

/// <summary>Section <c>Metrics</c>: the Prometheus scrape endpoint of <c>serve</c>.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>Whether <c>/metrics</c> is served at all (the OTLP export, when configured, does not depend on it).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>When set, a scrape must send <c>Authorization: Bearer</c> with this value; others get 401.</summary>
    public string? Token { get; set; }

    /// <summary>
    /// When set, <c>/metrics</c> answers only on connections to this local port (add it to the
    /// server's URLs, e.g. <c>http://127.0.0.1:9464</c>); on every other port it is a 404.
    /// </summary>
    [Range(1, 65535)] public int? Port { get; set; }
}

/// <summary>Section <c>Tracing</c>: spans of requests, uploads, jobs and external tools.</summary>
public sealed class TracingOptions
{
    public const string Section = "Tracing";

    /// <summary>
    /// Record traces even with no OTLP endpoint set (for an exporter added in code). With
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> or <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c> set they are recorded anyway.
    /// </summary>
    public bool Enabled { get; set; }
}
