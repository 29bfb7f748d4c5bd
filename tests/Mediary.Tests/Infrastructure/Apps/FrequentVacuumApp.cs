namespace Mediary.Tests.Infrastructure;

/// <summary>A server whose vacuum runs every second or so.</summary>
public sealed class FrequentVacuumApp() : MediaryApp(new() { ["Vacuum:IntervalMinutes"] = "0.02" });
