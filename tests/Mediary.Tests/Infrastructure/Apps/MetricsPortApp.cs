namespace Mediary.Tests.Infrastructure;

/// <summary>A server whose /metrics answers only on local port 9464, which the in-process client never reaches.</summary>
public sealed class MetricsPortApp() : MediaryApp(new() { ["Metrics:Port"] = "9464" });
