namespace Mediary.Tests.Infrastructure;

/// <summary>A server whose /metrics wants <see cref="Token"/> as a bearer token.</summary>
public sealed class MetricsTokenApp() : MediaryApp(new() { ["Metrics:Token"] = Token })
{
    public const string Token = "scrape-secret-4f1c";
}
