using Microsoft.Extensions.Options;

namespace Mediary.Webhooks;

/// <summary>
/// Keeps the deliveries table from growing forever: deliveries finished more than
/// <see cref="WebhookOptions.DeliveryRetentionDays"/> ago are deleted; pending ones never are.
/// Run by the server's periodic vacuum (<see cref="Media.VacuumService"/>).
/// </summary>
public sealed class WebhookDeliveryPruning(WebhookStore store, IOptions<WebhookOptions> options, TimeProvider clock)
{
    /// <summary>Deletes the deliveries past their retention; returns how many (0 when the retention is 0, keep forever).</summary>
    public Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        var days = options.Value.DeliveryRetentionDays;
        if (days == 0) return Task.FromResult(0);
        return store.DeleteFinishedAsync(clock.GetUtcNow() - TimeSpan.FromDays(days), cancellationToken);
    }
}
