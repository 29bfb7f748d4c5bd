using Mediary.Storage;
using Mediary.Telemetry;
using Microsoft.Extensions.Options;

namespace Mediary.Jobs;

/// <summary>
/// Workers: <see cref="JobOptions.Concurrency"/> loops that claim jobs, run them with the
/// <see cref="IJobHandler"/> of their kind, and record the outcome. On the embedded default, this process
/// is the only worker, so at start-up every job a crash left in progress is put back in the queue
/// (or failed, when out of attempts). On a shared database other workers hold jobs too: only jobs
/// whose lease ran out (their worker died) are taken back at start-up. In both, jobs whose lease
/// ran out are taken back every half lease (at most a minute): a dead worker's, or one whose end
/// could not be recorded during a database outage. A worker renews the lease of the job it runs
/// every third of the lease. No failure stops a worker loop: it logs, waits and goes on.
/// </summary>
public sealed class JobWorker(IJobQueue queue, JobSignal signal, IEnumerable<IJobHandler> handlers, Data.IDatabase database,
    IMediaStorage storage, IOptions<JobOptions> options, OutageMetrics outages, ILogger<JobWorker> logger) : BackgroundService
{
    private readonly string _workerId = $"{Environment.MachineName}:{Environment.ProcessId}";
    private readonly Dictionary<string, IJobHandler> _handlers = handlers.ToDictionary(handler => handler.Kind);

    /// <summary>A job of a kind no handler here knows (queued by a newer version): its attempts run out, visibly.</summary>
    private IJobHandler HandlerOf(MediaJob job) =>
        _handlers.GetValueOrDefault(job.Kind) ?? throw new InvalidOperationException($"No handler for jobs of kind {job.Kind}");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await ReclaimAsync(everything: !database.IsShared, stoppingToken);
        var loops = Enumerable.Range(0, options.Value.Concurrency).Select(_ => RunLoopAsync(stoppingToken)).ToList();
        loops.Add(ReclaimExpiredLeasesAsync(stoppingToken));
        await Task.WhenAll(loops);
    }

    private async Task ReclaimAsync(bool everything, CancellationToken stoppingToken)
    {
        foreach (var failed in await queue.ReclaimAsync(everything, stoppingToken))
        {
            await GiveUpAsync(failed, "its last attempt was interrupted", stoppingToken);
            logger.LogWarning("Job {JobId} of {Job} failed: its last attempt was interrupted", failed.Id, failed);
        }
    }

    private async Task ReclaimExpiredLeasesAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Min(60, Math.Max(1, options.Value.LeaseSeconds / 2))));
        var reclaiming = new RepeatedFailure(logger, "take back the jobs of dead workers");
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await ReclaimAsync(everything: false, stoppingToken);
                    reclaiming.Over();
                    signal.Notify();
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    reclaiming.Failed(e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RunLoopAsync(CancellationToken stoppingToken)
    {
        var lease = TimeSpan.FromSeconds(options.Value.LeaseSeconds);
        var claiming = new RepeatedFailure(logger, "claim a job");
        while (!stoppingToken.IsCancellationRequested)
        {
            MediaJob? job = null;
            try
            {
                job = await queue.ClaimAsync(_workerId, lease, stoppingToken);
                claiming.Over();
                if (job is null)
                {
                    await signal.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
                    continue;
                }
                using (var renewing = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
                {
                    var renewal = RenewLeaseAsync(job, lease, renewing.Token);
                    try
                    {
                        await RunTracedAsync(job, stoppingToken);
                    }
                    finally
                    {
                        await renewing.CancelAsync();
                        await renewal;
                    }
                }
                await queue.CompleteAsync(job, CancellationToken.None);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                if (job is not null) await ReleaseAtShutdownAsync(job);
                return;
            }
            catch (Exception e)
            {
                if (job is null)
                {
                    outages.Count(e, "job");
                    claiming.Failed(e);
                    await PauseAsync(stoppingToken);
                    continue;
                }
                await RecordFailureAsync(job, e, stoppingToken);
            }
        }
    }

    /// <summary>The handler's run in a span that continues the trace of the request that queued the job.</summary>
    private async Task RunTracedAsync(MediaJob job, CancellationToken stoppingToken)
    {
        using var span = MediaryTraces.StartJob(job.Kind, job.TraceParent);
        span?.SetTag("mediary.job.id", job.Id);
        span?.SetTag("mediary.job.subject", job.Subject);
        span?.SetTag("mediary.job.attempt", job.Attempts);
        try
        {
            await HandlerOf(job).RunAsync(job.Subject, stoppingToken);
        }
        catch (Exception e)
        {
            span.Failed(e);
            throw;
        }
    }

    /// <summary>
    /// An attempt failed. An outage (storage or database unreachable, as the failure says or as the
    /// storage answers when asked) says nothing about the file: the job waits and keeps its
    /// attempt. Anything else spends it. When not even that can be recorded (the database is out),
    /// the job's lease runs out and it is taken back.
    /// </summary>
    private async Task RecordFailureAsync(MediaJob job, Exception failure, CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(Math.Min(60, 2 << (int)Math.Min(job.Attempts, 5)));
        try
        {
            if (failure is RunAgainLaterException later)
            {
                await queue.PostponeAsync(job, later.Message, later.Delay, CancellationToken.None);
                logger.LogInformation("{Job} runs again in {Delay}: {Reason}", job, later.Delay, later.Message);
                return;
            }
            var outage = outages.Count(failure, "job") is null ? await StorageOutageAsync() : failure;
            if (outage is not null && !ReferenceEquals(outage, failure)) outages.Count(outage, "job");
            if (outage is not null)
            {
                await queue.PostponeAsync(job, outage.Message, delay, CancellationToken.None);
                logger.LogWarning(failure, "{Part} unavailable while processing {Job}; trying again in {Delay}", Web.Outages.Of(outage), job, delay);
                return;
            }
            var exhausted = await queue.FailAttemptAsync(job, failure.Message, delay, CancellationToken.None);
            logger.LogWarning(failure, "Processing {Job} failed (attempt {Attempt} of {Max})", job, job.Attempts, job.MaxAttempts);
            if (exhausted) await GiveUpAsync(job, failure.Message, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Could not record how {Job} ended ({Failure}); it is taken back when its lease runs out", job, failure.Message);
            await PauseAsync(stoppingToken);
        }
    }

    /// <summary>
    /// The storage's reason when it is out, though the failure did not say so: on local disk ffmpeg
    /// reads the source in place, so a media directory that went away shows as ffmpeg failing to
    /// open its input. Null when the storage answers (or cannot be asked in time).
    /// </summary>
    private async Task<Exception?> StorageOutageAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await storage.ProbeAsync(limit.Token);
            return null;
        }
        catch (Exception e) when (Web.Outages.Of(e) == Web.Outages.Part.Storage)
        {
            return e;
        }
        catch (Exception e)
        {
            logger.LogDebug(e, "Could not tell whether the media storage is out");
            return null;
        }
    }

    /// <summary>A second's pause before trying again, cut short (without throwing) by a shutdown.</summary>
    private static Task PauseAsync(CancellationToken stoppingToken) =>
        Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);

    /// <summary>
    /// Shutting down (a deploy, a restart) says nothing about the file: the interrupted job goes back
    /// to the queue at once with its attempt unspent, for another worker or the next start. If even
    /// that cannot be recorded, the job is taken back when its lease runs out or at the next start.
    /// </summary>
    private async Task ReleaseAtShutdownAsync(MediaJob job)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await queue.PostponeAsync(job, "interrupted by a shutdown", TimeSpan.Zero, limit.Token);
            logger.LogInformation("Put {Job} back in the queue: this process is shutting down", job);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not put {Job} back in the queue at shutdown; it is taken back later", job);
        }
    }

    /// <summary>
    /// Something a worker retries on its own (claiming, taking back jobs) while the database is
    /// away: said once with the error, then once a minute, and once more when it works again, so an
    /// outage of minutes is a few log lines, not a stack trace every second.
    /// </summary>
    private sealed class RepeatedFailure(ILogger logger, string activity)
    {
        private static readonly TimeSpan Reminder = TimeSpan.FromMinutes(1);
        private DateTime? _since;
        private DateTime _told;

        public void Failed(Exception e)
        {
            var now = DateTime.UtcNow;
            if (_since is null)
            {
                _since = _told = now;
                logger.LogError(e, "Could not {Activity}; trying again", activity);
            }
            else if (now - _told >= Reminder)
            {
                _told = now;
                logger.LogError("Still cannot {Activity} after {Duration:g}: {Reason}", activity, now - _since.Value, e.Message);
            }
        }

        public void Over()
        {
            if (_since is not { } since) return;
            logger.LogInformation("Could {Activity} again after {Duration:g}", activity, DateTime.UtcNow - since);
            _since = null;
        }
    }

    /// <summary>What a job out of attempts leaves failed, as its handler decides.</summary>
    private Task GiveUpAsync(MediaJob job, string reason, CancellationToken cancellationToken) =>
        _handlers.TryGetValue(job.Kind, out var handler) ? handler.GiveUpAsync(job.Subject, reason, cancellationToken) : Task.CompletedTask;

    /// <summary>Keeps the job's lease alive while it is processed, so no other worker takes it over.</summary>
    private async Task RenewLeaseAsync(MediaJob job, TimeSpan lease, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(lease / 3);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    if (!await queue.RenewAsync(job, _workerId, lease, cancellationToken))
                    {
                        logger.LogWarning("Job {JobId} of {Job} was taken over by another worker", job.Id, job);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Could not renew the lease of job {JobId}", job.Id);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
