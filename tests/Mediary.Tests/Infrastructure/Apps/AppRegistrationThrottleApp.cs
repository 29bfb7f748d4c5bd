namespace Mediary.Tests.Infrastructure;

/// <summary>Two app registrations per address per window, so the throttle's test needs only three.</summary>
public sealed class AppRegistrationThrottleApp() : MediaryApp(new Dictionary<string, string> { ["OAuth:AppRegistrationsPerAddress"] = "2" });
