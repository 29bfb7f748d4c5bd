namespace Mediary.Tests.Infrastructure;

/// <summary>A server with Metrics:Enabled=false.</summary>
public sealed class MetricsOffApp() : MediaryApp(new() { ["Metrics:Enabled"] = "false" });
