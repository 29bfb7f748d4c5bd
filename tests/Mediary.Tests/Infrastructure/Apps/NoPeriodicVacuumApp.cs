namespace Mediary.Tests.Infrastructure;

/// <summary>A server whose own periodic vacuum is off, so that only the test decides when one runs.</summary>
public sealed class NoPeriodicVacuumApp() : MediaryApp(new() { ["Vacuum:IntervalMinutes"] = "0" });
