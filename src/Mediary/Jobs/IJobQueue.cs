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
/// A claimed job: process media <see cref="MediaId"/>, or, when <see cref="DirectId"/> is set,
/// verify that direct upload (<see cref="MediaId"/> is 0 then); this is attempt number <see cref="Attempts"/>.
/// </summary>
public sealed record MediaJob(long Id, long MediaId, string? DirectId, long Attempts, long MaxAttempts)
{
    public override string ToString() => DirectId is null ? $"media {MediaId}" : $"direct upload {DirectId}";
}

/// <summary>
/// Durable media processing jobs. A job is written in the same transaction as its media row, so
/// neither exists without the other. Claiming counts an attempt up front: a run killed with the
/// process still counts, so a file that crashes the processor fails after a bounded number of tries.
/// A PostgreSQL implementation claims with <c>FOR UPDATE SKIP LOCKED</c> behind the same interface.
/// </summary>
public interface IJobQueue
{
    /// <summary>Adds a job for <paramref name="mediaId"/> inside the caller's transaction.</summary>
    Task EnqueueAsync(DbConnection connection, DbTransaction transaction, long mediaId, CancellationToken cancellationToken = default);

    /// <summary>Adds a job that verifies and processes direct upload <paramref name="directId"/>, inside the caller's transaction.</summary>
    Task EnqueueDirectAsync(DbConnection connection, DbTransaction transaction, string directId, CancellationToken cancellationToken = default);

    /// <summary>Takes the oldest ready job, leasing it to <paramref name="workerId"/>; null when none is ready.</summary>
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

    /// <summary>The state of the latest job of a media, or null.</summary>
    Task<string?> StateAsync(long mediaId, CancellationToken cancellationToken = default);
}
