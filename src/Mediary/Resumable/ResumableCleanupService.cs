using Mediary.Data;
using Microsoft.Extensions.Options;

namespace Mediary.Resumable;

/// <summary>Every <see cref="ResumableUploadOptions.CleanupIntervalSeconds"/>: removes resumable uploads whose time is up, with their bytes.</summary>
public sealed class ResumableCleanupService(IServiceScopeFactory scopes, IOptions<ResumableUploadOptions> options, ILogger<ResumableCleanupService> logger)
    : ClusterSweep(scopes, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.CleanupIntervalSeconds);

    protected override long LockKey => ClusterLocks.ResumableCleanup;

    protected override string Name => "Resumable upload cleanup";

    protected override async Task RunOnceAsync(IServiceProvider services, CancellationToken stoppingToken)
    {
        var expired = await services.GetRequiredService<ResumableUploads>().RemoveExpiredAsync(stoppingToken);
        if (expired > 0) logger.LogInformation("Removed {Count} resumable uploads that expired before their last byte", expired);
    }
}
