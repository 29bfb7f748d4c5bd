using Microsoft.Extensions.Options;

namespace Mediary.Direct;

/// <summary>
/// Every <see cref="DirectOptions.CleanupIntervalSeconds"/>: removes uploads never completed whose
/// URL expired (record and bytes), and rate-limit log entries older than the longest window.
/// </summary>
public sealed class DirectCleanupService(IServiceScopeFactory scopes, IOptions<DirectOptions> options, ILogger<DirectCleanupService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.CleanupIntervalSeconds <= 0) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.CleanupIntervalSeconds));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await RunOnceAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RunOnceAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            // Once across all processes: whoever holds the lock does this round.
            await using var held = await scope.ServiceProvider.GetRequiredService<Data.IDatabase>().TryHoldLockAsync(Data.ClusterLocks.DirectCleanup, stoppingToken);
            if (held is null) return;
            var expired = await scope.ServiceProvider.GetRequiredService<DirectMediaService>().RemoveExpiredAsync(stoppingToken);
            if (expired > 0) logger.LogInformation("Removed {Count} direct uploads that expired before completion", expired);
            await scope.ServiceProvider.GetRequiredService<DirectRateLimiter>().PruneAsync(stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogError(e, "Direct upload cleanup failed; next attempt in {Seconds} s", options.Value.CleanupIntervalSeconds);
        }
    }
}
