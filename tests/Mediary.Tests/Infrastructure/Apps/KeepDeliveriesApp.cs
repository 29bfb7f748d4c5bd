using Microsoft.Extensions.Time.Testing;

namespace Mediary.Tests.Infrastructure;

/// <summary>
/// Webhooks on loopback with Webhooks:DeliveryRetentionDays 0 (keep forever), a clock the test moves
/// years on, and no periodic vacuum (the test runs the pruning). One retry a second after the first
/// attempt, so a failing receiver's delivery fails for good at once.
/// </summary>
public sealed class KeepDeliveriesApp() : MediaryApp(new Dictionary<string, string>
{
    ["Webhooks:AllowPrivateAddresses"] = "true",
    ["Webhooks:RetryDelaysSeconds"] = "1",
    ["Webhooks:DeliveryRetentionDays"] = "0",
    ["Vacuum:IntervalMinutes"] = "0",
}, new FakeTimeProvider(DateTimeOffset.UtcNow));
