namespace Mediary.Tests.Infrastructure;

/// <summary>Registrations open with a throttle of two sign-ups per address per window.</summary>
public sealed class SignUpThrottleApp() : MediaryApp(new Dictionary<string, string>
{
    ["Registrations:Open"] = "true",
    ["Registrations:SignUpsPerAddress"] = "2",
});
