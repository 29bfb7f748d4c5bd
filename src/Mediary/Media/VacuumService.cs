using Microsoft.Extensions.Options;

namespace Mediary.Media;

/// <summary>
/// The server's periodic <see cref="MediaVacuum"/> (Mastodon runs it daily from its scheduler):
/// first shortly after start-up, then every <see cref="VacuumOptions.IntervalMinutes"/>.
/// </summary>
public sealed class VacuumService(IServiceScopeFactory scopes, IOptions<VacuumOptions> options, ILogger<VacuumService> logger)
    : BackgroundService
{
    private static readonly TimeSpan FirstRunDelay = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.Interval;
        if (interval <= TimeSpan.Zero) return;
        // PeriodicTimer needs at least a millisecond, and a tighter loop than a second helps nobody.
        if (interval < TimeSpan.FromSeconds(1)) interval = TimeSpan.FromSeconds(1);
        using var timer = new PeriodicTimer(interval);
        try
        {
            // Out of the way of start-up (migrations, warming the image helpers).
            await Task.Delay(interval < FirstRunDelay ? interval : FirstRunDelay, stoppingToken);
            do
            {
                await RunOnceAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
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
            await using var held = await scope.ServiceProvider.GetRequiredService<Data.IDatabase>().TryHoldLockAsync(Data.ClusterLocks.Vacuum, stoppingToken);
            if (held is null) return;
            var result = await scope.ServiceProvider.GetRequiredService<MediaVacuum>().RunAsync(dryRun: false, stoppingToken);
            if (result.Count > 0) logger.LogInformation("Vacuum removed {Count} unattached media", result.Count);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogError(e, "Vacuum of unattached media failed; next attempt in {Interval}", options.Value.Interval);
        }
    }
}
