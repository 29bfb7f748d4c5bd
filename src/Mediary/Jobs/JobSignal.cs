namespace Mediary.Jobs;

/// <summary>Wakes this process's idle workers when a job is enqueued here (others find it by polling).</summary>
public sealed class JobSignal
{
    private readonly SemaphoreSlim _pending = new(0);

    public void Notify() => _pending.Release();

    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await _pending.WaitAsync(timeout, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }
}
