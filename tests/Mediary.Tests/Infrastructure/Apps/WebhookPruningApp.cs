using Microsoft.Extensions.Time.Testing;

namespace Mediary.Tests.Infrastructure;

/// <summary>
/// Webhooks on loopback, a clock the test moves past the default 30 days' retention of deliveries,
/// and the periodic vacuum (which prunes them) every second or so. One retry a second after the
/// first attempt, so a failing receiver's delivery fails for good at once; 300 s for an answer,
/// so one to a receiver that never answers stays pending through the test.
/// </summary>
public sealed class WebhookPruningApp() : MediaryApp(new Dictionary<string, string>
{
    ["Webhooks:AllowPrivateAddresses"] = "true",
    ["Webhooks:RetryDelaysSeconds"] = "1",
    ["Webhooks:TimeoutSeconds"] = "300",
    ["Vacuum:IntervalMinutes"] = "0.02",
}, new FakeTimeProvider(DateTimeOffset.UtcNow));
