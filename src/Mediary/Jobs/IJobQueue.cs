using System.Data.Common;

namespace Mediary.Jobs;

public static class JobStates
{
    public const string Queued = "queued";
    public const string InProgress = "in_progress";
    public const string Complete = "complete";
    public const string Failed = "failed";
}

/// <summary>
/// A claimed job: the handler of <see cref="Kind"/> runs it on <see cref="Subject"/> (what the
/// kind's handler makes of it, e.g. a media id); this is attempt number <see cref="Attempts"/>.
/// </summary>
/// <param name="TraceParent">The W3C <c>traceparent</c> of the span that queued it (a request), when it was traced: the job's span continues that trace.</param>
public sealed record MediaJob(long Id, string Kind, string Subject, long Attempts, long MaxAttempts, string? TraceParent = null)
{
    public override string ToString() => $"{Kind} {Subject}";
}

/// <summary>
/// Durable jobs. A job is written in the same transaction as the rows it works on
/// (<see cref="BeginAsync"/>), so neither exists without the other. Claiming counts an attempt up
/// front: a run killed with the process still counts, so a file that crashes the processor fails
/// after a bounded number of tries. On PostgreSQL jobs are claimed with <c>FOR UPDATE SKIP LOCKED</c>.
/// </summary>
public interface IJobQueue
{
    /// <summary>
    /// A transaction whose jobs are queued when it commits; this process's idle workers are woken
    /// then, after the commit, so a worker never looks for a job before it can see it.
    /// </summary>
    Task<JobTransaction> BeginAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes a ready job, leasing it to <paramref name="workerId"/>; null when none is ready. Owners
    /// are taken in turn: the oldest job of the owner with the fewest jobs in progress, skipping
    /// owners at <see cref="JobOptions.PerAccountConcurrency"/>.
    /// </summary>
    Task<MediaJob?> ClaimAsync(string workerId, TimeSpan lease, CancellationToken cancellationToken = default);

    Task CompleteAsync(MediaJob job, CancellationToken cancellationToken = default);

    /// <summary>Extends the lease of a job <paramref name="workerId"/> still holds; false when it lost it.</summary>
    Task<bool> RenewAsync(MediaJob job, string workerId, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>Records a failed attempt; returns true when no attempt is left and the job is now failed.</summary>
    Task<bool> FailAttemptAsync(MediaJob job, string error, TimeSpan retryDelay, CancellationToken cancellationToken = default);

    /// <summary>
    /// Puts the job back in the queue after <paramref name="retryDelay"/> without spending its attempt:
    /// the attempt failed for an outage (storage or database unreachable), not for its file.
    /// </summary>
    Task PostponeAsync(MediaJob job, string error, TimeSpan retryDelay, CancellationToken cancellationToken = default);

    /// <summary>
    /// Puts back jobs whose lease ran out (their worker died), or on the embedded default every job
    /// left in progress at start-up; jobs out of attempts fail instead. Returns the jobs that failed
    /// (their worker died on the last attempt).
    /// </summary>
    Task<IReadOnlyList<MediaJob>> ReclaimAsync(bool everything, CancellationToken cancellationToken = default);

    /// <summary>Jobs waiting for a worker.</summary>
    Task<long> QueuedCountAsync(CancellationToken cancellationToken = default);

    /// <summary>When the oldest job waiting for a worker was queued; null when none waits.</summary>
    Task<DateTimeOffset?> OldestQueuedAtAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// A database transaction that may queue jobs. Work on other rows goes through
/// <see cref="Connection"/> and <see cref="Transaction"/>; <see cref="CommitAsync"/> commits and
/// then wakes this process's workers, once per job queued.
/// </summary>
public sealed class JobTransaction(DbConnection connection, DbTransaction transaction, JobSignal signal,
    Func<DbConnection, DbTransaction, string, string, string, CancellationToken, Task> insert) : IAsyncDisposable
{
    private int _queued;

    public DbConnection Connection { get; } = connection;
    public DbTransaction Transaction { get; } = transaction;

    /// <summary>
    /// Queues a job of <paramref name="kind"/> on <paramref name="subject"/>, visible once this
    /// transaction commits. <paramref name="owner"/> says whose work it is (an account): the queue
    /// takes owners in turn.
    /// </summary>
    public async Task EnqueueAsync(string kind, string subject, string owner, CancellationToken cancellationToken = default)
    {
        await insert(Connection, Transaction, kind, subject, owner, cancellationToken);
        _queued++;
    }

    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        await Transaction.CommitAsync(cancellationToken);
        for (; _queued > 0; _queued--) signal.Notify();
    }

    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
