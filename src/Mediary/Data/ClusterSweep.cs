namespace Mediary.Data;

/// <summary>
/// Periodic maintenance that must run once across all processes: every <see cref="Interval"/>
/// (the first time after <see cref="FirstDelay"/>), in a fresh DI scope, under the cluster-wide
/// lock <see cref="LockKey"/> (a process that does not get it skips the round), with one
/// try/catch per round, so a failure is logged and the next round tries again.
/// </summary>
public abstract class ClusterSweep(IServiceScopeFactory scopes, ILogger logger) : BackgroundService
{
    /// <summary>Zero or less turns the sweep off.</summary>
    protected abstract TimeSpan Interval { get; }

    protected virtual TimeSpan FirstDelay => Interval;

    protected abstract long LockKey { get; }

    protected abstract string Name { get; }

    protected abstract Task RunOnceAsync(IServiceProvider services, CancellationToken stoppingToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = Interval;
        if (interval <= TimeSpan.Zero) return;
        // PeriodicTimer needs at least a millisecond, and a tighter loop than a second helps nobody.
        if (interval < TimeSpan.FromSeconds(1)) interval = TimeSpan.FromSeconds(1);
        using var timer = new PeriodicTimer(interval);
        try
        {
            await Task.Delay(FirstDelay < interval ? FirstDelay : interval, stoppingToken);
            do
            {
                await RoundAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RoundAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await using var held = await scope.ServiceProvider.GetRequiredService<IDatabase>().TryHoldLockAsync(LockKey, stoppingToken);
            if (held is null) return;
            await RunOnceAsync(scope.ServiceProvider, stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogError(e, "{Sweep} failed; next attempt in {Interval}", Name, Interval);
        }
    }
}
