using Microsoft.Extensions.Time.Testing;

namespace Mediary.Tests.Infrastructure;

/// <summary>
/// A server allowing 3 uploads per account per hour, on a clock of its own that starts 10 s into
/// an hour (so no test straddles two windows) and that a test moves on to the next window.
/// </summary>
public sealed class UploadThrottleApp() : MediaryApp(new Dictionary<string, string>
{
    ["RateLimits:MediaUploadLimit"] = "3",
    ["RateLimits:MediaUploadPeriodSeconds"] = "3600",
}, new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 3600 * 3600 + 10)));
