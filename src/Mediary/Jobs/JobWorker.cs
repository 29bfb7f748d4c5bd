using Mediary.Media;
using Microsoft.Extensions.Options;

namespace Mediary.Jobs;

/// <summary>
/// In-process workers on the embedded default: <see cref="JobOptions.Concurrency"/> loops that
/// claim jobs, run <see cref="MediaJobProcessor"/>, and record the outcome. At start-up the jobs a
/// crash left in progress are put back in the queue (or failed, when out of attempts).
/// </summary>
public sealed class JobWorker(IJobQueue queue, JobSignal signal, MediaJobProcessor processor, MediaRepository media,
    IOptions<JobOptions> options, ILogger<JobWorker> logger) : BackgroundService
{
    private readonly string _workerId = $"{Environment.MachineName}:{Environment.ProcessId}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var failed in await queue.ReclaimAsync(everything: true, stoppingToken))
        {
            await media.SetProcessingAsync(failed, ProcessingStates.Failed, stoppingToken);
            logger.LogWarning("Media {MediaId} failed: its last attempt was interrupted", failed);
        }
        var loops = Enumerable.Range(0, options.Value.Concurrency).Select(_ => RunLoopAsync(stoppingToken));
        await Task.WhenAll(loops);
    }

    private async Task RunLoopAsync(CancellationToken stoppingToken)
    {
        var lease = TimeSpan.FromSeconds(options.Value.LeaseSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            MediaJob? job = null;
            try
            {
                job = await queue.ClaimAsync(_workerId, lease, stoppingToken);
                if (job is null)
                {
                    await signal.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
                    continue;
                }
                await processor.ProcessAsync(job.MediaId, stoppingToken);
                await queue.CompleteAsync(job, CancellationToken.None);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // Shutting down: the job stays in progress and is reclaimed at the next start.
                return;
            }
            catch (Exception e)
            {
                if (job is null)
                {
                    logger.LogError(e, "Could not claim a job");
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ContinueWith(_ => { });
                    continue;
                }
                var delay = TimeSpan.FromSeconds(Math.Min(60, 2 << (int)Math.Min(job.Attempts, 5)));
                var exhausted = await queue.FailAttemptAsync(job, e.Message, delay, CancellationToken.None);
                logger.LogWarning(e, "Processing media {MediaId} failed (attempt {Attempt} of {Max})", job.MediaId, job.Attempts, job.MaxAttempts);
                if (exhausted) await media.SetProcessingAsync(job.MediaId, ProcessingStates.Failed, CancellationToken.None);
            }
        }
    }
}
