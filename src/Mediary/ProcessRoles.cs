using Mediary.Configuration;
using Mediary.Data;
using Mediary.Media;
using Mediary.Processing;
using Mediary.Storage;
using Microsoft.Extensions.Options;

namespace Mediary;

public enum ProcessRole
{
    /// <summary><c>serve</c>: the API and the job workers, the embedded default.</summary>
    Everything,

    /// <summary><c>serve --no-workers</c>: the API only; jobs are left to <c>worker</c> processes.</summary>
    ApiOnly,

    /// <summary><c>worker</c>: jobs only, no HTTP.</summary>
    Worker,
}

/// <summary>What every process does before it starts working, whatever its role.</summary>
public static class ProcessRoles
{
    /// <summary>
    /// Checks the role fits the database, takes the data directory's lock where one process must
    /// be alone, migrates the schema, removes what a crash left and warms the image helpers.
    /// </summary>
    public static void Prepare(IServiceProvider services, IHostApplicationLifetime lifetime, ProcessRole role)
    {
        var database = services.GetRequiredService<IDatabase>();
        if (!database.IsShared)
        {
            // SQLite and the per-process caches assume one process writes media: no separate workers.
            if (role != ProcessRole.Everything)
            {
                throw new InvalidOperationException(
                    "Separate API and worker processes share their work through the database: set Database:Provider=PostgreSQL " +
                    "(and Database:ConnectionString) for 'serve --no-workers' and 'worker'. On the embedded default, run 'serve' alone.");
            }
            var dataLock = LockDataDirectory(services);
            lifetime.ApplicationStopped.Register(dataLock.Dispose);
        }

        else if (role != ProcessRole.Everything && services.GetRequiredService<IMediaStorage>() is ILocalMediaFiles local)
        {
            services.GetRequiredService<ILoggerFactory>().CreateLogger("Mediary.ProcessRoles").LogWarning(
                "Storage:Provider is Local: the media files are in {Root}, which only processes on this machine sharing this data directory " +
                "can read. To run processes on several machines, set Storage:Provider=S3.", local.Root);
        }

        database.EnsureCurrentAsync(services.GetRequiredService<IOptions<DatabaseOptions>>().Value).GetAwaiter().GetResult();
        var removed = services.GetRequiredService<TempFiles>().Sweep();
        if (removed > 0) services.GetRequiredService<ILogger<TempFiles>>().LogInformation("Removed {Count} partial uploads left by a previous run", removed);
        services.GetRequiredService<ImageHelperPool>();
        services.GetRequiredService<MediaMetrics>();
        services.GetRequiredService<Telemetry.ProcessingMetrics>();
        ReportUnusableStorage(services);
    }

    /// <summary>
    /// A storage that cannot be used (a missing bucket, refused credentials, an unmounted disk) is
    /// said in the log at start rather than discovered at the first upload. The process starts all
    /// the same, since a bucket or mount may come up after it; meanwhile uploads answer 503 and
    /// <c>/health/ready</c> names the storage.
    /// </summary>
    private static void ReportUnusableStorage(IServiceProvider services)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            services.GetRequiredService<IMediaStorage>().ProbeAsync(timeout.Token).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is StorageUnavailableException or OperationCanceledException)
        {
            services.GetRequiredService<ILoggerFactory>().CreateLogger("Mediary.ProcessRoles").LogError(
                "Media storage cannot be used: {Reason}. Uploads answer 503, and /health/ready says so, until it can.",
                e is OperationCanceledException ? "it did not answer within 5 s" : e.Message);
        }
    }

    /// <summary>
    /// One server per data directory on the embedded default: its caches and crash recovery assume
    /// this process is the only one writing media. The lock dies with the process.
    /// </summary>
    private static FileStream LockDataDirectory(IServiceProvider services)
    {
        var directory = Path.GetFullPath(services.GetRequiredService<IOptions<MediaryOptions>>().Value.DataDirectory);
        Directory.CreateDirectory(directory);
        try
        {
            return new FileStream(Path.Combine(directory, "serve.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new InvalidOperationException($"Another Mediary server is already using the data directory {directory}.");
        }
    }
}
