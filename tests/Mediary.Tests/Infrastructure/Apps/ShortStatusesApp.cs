namespace Mediary.Tests.Infrastructure;

/// <summary>A server whose statuses may be 40 characters long.</summary>
public sealed class ShortStatusesApp() : MediaryApp(new Dictionary<string, string> { ["Statuses:MaxCharacters"] = "40" });
