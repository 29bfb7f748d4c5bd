namespace Mediary.Jobs;

/// <summary>
/// Runs the jobs of one <see cref="Kind"/>. Registered by the feature that queues them; the
/// workers know jobs only by kind and subject.
/// </summary>
public interface IJobHandler
{
    /// <summary>The kind of job handled, e.g. <c>media.process</c>.</summary>
    string Kind { get; }

    /// <summary>
    /// One attempt. Must be safe to run again after a crash (outputs under keys derived from the
    /// subject, writes that check the current state). An exception spends the attempt, unless it
    /// is an outage of the storage or the database.
    /// </summary>
    Task RunAsync(string subject, CancellationToken cancellationToken);

    /// <summary>The job is out of attempts: leave its subject failed, with <paramref name="reason"/>.</summary>
    Task GiveUpAsync(string subject, string reason, CancellationToken cancellationToken);
}
