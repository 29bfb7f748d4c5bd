using Mediary.Data;
using Mediary.Webhooks;
using Microsoft.Extensions.Options;

namespace Mediary.Media;

/// <summary>
/// The server's periodic <see cref="MediaVacuum"/> (Mastodon runs it daily from its scheduler),
/// the removal of failed media's raw uploads past their retention (<see cref="FailedSourceRetention"/>), and the pruning of finished webhook deliveries (<see cref="WebhookDeliveryPruning"/>): first
/// shortly after start-up, then every <see cref="VacuumOptions.IntervalMinutes"/>.
/// </summary>
public sealed class VacuumService(IServiceScopeFactory scopes, IOptions<VacuumOptions> options, ILogger<VacuumService> logger)
    : ClusterSweep(scopes, logger)
{
    protected override TimeSpan Interval => options.Value.Interval;

    /// <summary>Out of the way of start-up (migrations, warming the image helpers).</summary>
    protected override TimeSpan FirstDelay => TimeSpan.FromSeconds(30);

    protected override long LockKey => ClusterLocks.Vacuum;

    protected override string Name => "Vacuum of unattached media, failed media's raw uploads and old webhook deliveries";

    protected override async Task RunOnceAsync(IServiceProvider services, CancellationToken stoppingToken)
    {
        var result = await services.GetRequiredService<MediaVacuum>().RunAsync(dryRun: false, stoppingToken);
        if (result.Count > 0) logger.LogInformation("Vacuum removed {Count} unattached media", result.Count);
        var sources = await services.GetRequiredService<FailedSourceRetention>().RunAsync(stoppingToken);
        if (sources > 0) logger.LogInformation("Vacuum removed the raw uploads of {Count} failed media past their retention", sources);
        var pruned = await services.GetRequiredService<WebhookDeliveryPruning>().RunAsync(stoppingToken);
        if (pruned > 0) logger.LogInformation("Vacuum removed {Count} finished webhook deliveries", pruned);
    }
}
