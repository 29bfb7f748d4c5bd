using Microsoft.Extensions.Time.Testing;

namespace Mediary.Tests.Infrastructure;

/// <summary>
/// Registrations open with a throttle of two sign-ups per address per hour, on a clock of its own
/// that starts 10 s into an hour (so no test straddles two windows) and that a test moves on.
/// </summary>
public sealed class SignUpThrottleApp() : MediaryApp(new Dictionary<string, string>
{
    ["Registrations:Open"] = "true",
    ["Registrations:SignUpsPerAddress"] = "2",
    ["Registrations:SignUpPeriodSeconds"] = "3600",
}, new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 3600 * 3600 + 10)));
