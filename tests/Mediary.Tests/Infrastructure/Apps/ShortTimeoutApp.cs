namespace Mediary.Tests.Infrastructure;

/// <summary>A server whose image work must finish within 5 seconds.</summary>
public sealed class ShortTimeoutApp() : MediaryApp(new Dictionary<string, string> { ["Processing:TimeoutSeconds"] = "5" });
