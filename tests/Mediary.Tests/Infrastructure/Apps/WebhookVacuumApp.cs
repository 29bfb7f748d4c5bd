using Microsoft.Extensions.Time.Testing;

namespace Mediary.Tests.Infrastructure;

/// <summary>Webhooks on loopback, a clock the test moves past the vacuum's TTL, and no periodic vacuum (the test runs it).</summary>
public sealed class WebhookVacuumApp() : MediaryApp(new Dictionary<string, string>
{
    ["Webhooks:AllowPrivateAddresses"] = "true",
    ["Vacuum:IntervalMinutes"] = "0",
}, new FakeTimeProvider(DateTimeOffset.UtcNow));
