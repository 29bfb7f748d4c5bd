using Mediary.Data;
using Microsoft.Extensions.Options;

namespace Mediary.Direct;

/// <summary>
/// Every <see cref="DirectOptions.CleanupIntervalSeconds"/>: removes uploads never completed whose
/// URL expired (record and bytes), and rate-limit log entries older than the longest window.
/// </summary>
public sealed class DirectCleanupService(IServiceScopeFactory scopes, IOptions<DirectOptions> options, ILogger<DirectCleanupService> logger)
    : ClusterSweep(scopes, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.CleanupIntervalSeconds);

    protected override long LockKey => ClusterLocks.DirectCleanup;

    protected override string Name => "Direct upload cleanup";

    protected override async Task RunOnceAsync(IServiceProvider services, CancellationToken stoppingToken)
    {
        var expired = await services.GetRequiredService<DirectMediaService>().RemoveExpiredAsync(stoppingToken);
        if (expired > 0) logger.LogInformation("Removed {Count} direct uploads that expired before completion", expired);
        await services.GetRequiredService<DirectRateLimiter>().PruneAsync(stoppingToken);
    }
}
