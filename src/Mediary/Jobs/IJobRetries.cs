namespace Mediary.Jobs;

/// <summary>
/// What retrying or discarding a failed job of one <see cref="Kind"/> does to its subject.
/// Registered by the feature whose jobs an operator may run again; a kind without one cannot be retried.
/// </summary>
public interface IJobRetries
{
    /// <summary>The kind of job, e.g. <c>media.process</c>.</summary>
    string Kind { get; }

    /// <summary>
    /// Makes the subject ready to be processed again (a media back to processing), or throws
    /// <see cref="JobRetryRefusedException"/> with the reason it cannot be (its raw upload is gone).
    /// </summary>
    Task PrepareAsync(string subject, CancellationToken cancellationToken);

    /// <summary>The failed job was discarded: its subject stays failed, and what was kept only for a retry can go.</summary>
    Task DiscardedAsync(string subject, CancellationToken cancellationToken);
}
