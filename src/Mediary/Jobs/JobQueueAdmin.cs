using Dapper;
using Mediary.Data;
using Microsoft.Extensions.Options;

namespace Mediary.Jobs;

/// <summary>A job as the operator sees it: its row in the queue.</summary>
/// <param name="Owner">Whose work it is (an account id), null for a job without one.</param>
/// <param name="LastError">The last failed attempt's error (or why the job was put back), null before any.</param>
public sealed record JobRecord(long Id, string Kind, string Subject, string? Owner, string State, long Attempts, long MaxAttempts,
    string? LastError, string RunAfter, string CreatedAt, string UpdatedAt);

/// <summary>Why a failed job cannot be queued again, in a sentence for the operator.</summary>
public sealed class JobRetryRefusedException(string message) : Exception(message);

/// <summary>
/// The operator's side of the queue: the jobs in it, newest first, and the failed ones queued
/// again or discarded. What a retry or a discard does to the job's subject (a media back to
/// processing, its raw upload removed) is the <see cref="IJobRetries"/> of the job's kind.
/// </summary>
public sealed class JobQueueAdmin(IDatabase database, JobSignal signal, IEnumerable<IJobRetries> retries, IOptions<JobOptions> options)
{
    private readonly Dictionary<string, IJobRetries> _retries = retries.ToDictionary(retry => retry.Kind);

    private const string Columns = """
        id, kind, subject, owner, state, attempts, max_attempts AS MaxAttempts, last_error AS LastError, run_after AS RunAfter,
        created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    /// <summary>Jobs in one of <paramref name="states"/>, newest first, at most <paramref name="limit"/>, those below <paramref name="maxId"/> when given.</summary>
    public async Task<IReadOnlyList<JobRecord>> ListAsync(IReadOnlyCollection<string> states, int limit, long? maxId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var below = maxId is null ? "" : " AND id < @maxId";
        return (await connection.QueryAsync<JobRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM media_jobs WHERE state {database.InList("@states")}{below} ORDER BY id DESC LIMIT @limit",
            new { states = states.ToArray(), limit, maxId }, cancellationToken: cancellationToken))).AsList();
    }

    public async Task<JobRecord?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<JobRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM media_jobs WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Queues a failed job again, its attempts counted from 0 (up to today's <see cref="JobOptions.MaxAttempts"/>),
    /// ready at once. Null when there is no such job; throws <see cref="JobRetryRefusedException"/> when it is not
    /// failed or its subject cannot be processed again.
    /// </summary>
    public async Task<JobRecord?> RetryAsync(long id, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken) is not { } job) return null;
        if (job.State != JobStates.Failed) throw new JobRetryRefusedException($"Only a failed job can be retried; this one is {ApiState(job.State)}.");
        if (!_retries.TryGetValue(job.Kind, out var retry)) throw new JobRetryRefusedException($"Jobs of kind {job.Kind} cannot be retried here.");
        // The subject first (a media back to processing), so the job never runs on a subject still failed.
        await retry.PrepareAsync(job.Subject, cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        var now = DateTimeOffset.UtcNow.ToString("O");
        var queued = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE media_jobs SET state = 'queued', attempts = 0, max_attempts = @maxAttempts, run_after = @now, locked_by = NULL,
                   locked_until = NULL, updated_at = @now
             WHERE id = @id AND state = 'failed'
            """, new { id, now, maxAttempts = options.Value.MaxAttempts }, cancellationToken: cancellationToken));
        if (queued == 0)
        {
            // Discarded or retried by someone else meanwhile: a discarded job's subject is failed again.
            if (await FindAsync(id, cancellationToken) is null) await retry.DiscardedAsync(job.Subject, cancellationToken);
            return await FindAsync(id, cancellationToken);
        }
        signal.Notify();
        return await FindAsync(id, cancellationToken);
    }

    /// <summary>Removes a failed job; its subject stays failed. Null when there is no such job; throws when it is not failed.</summary>
    public async Task<JobRecord?> DiscardAsync(long id, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken) is not { } job) return null;
        if (job.State != JobStates.Failed) throw new JobRetryRefusedException($"Only a failed job can be discarded; this one is {ApiState(job.State)}.");
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            var deleted = await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM media_jobs WHERE id = @id AND state = 'failed'", new { id }, cancellationToken: cancellationToken));
            if (deleted == 0) return await FindAsync(id, cancellationToken) is { } now
                ? throw new JobRetryRefusedException($"Only a failed job can be discarded; this one is {ApiState(now.State)}.")
                : null;
        }
        if (_retries.TryGetValue(job.Kind, out var retry)) await retry.DiscardedAsync(job.Subject, cancellationToken);
        return job;
    }

    /// <summary>A state as the admin API names it: <c>in_progress</c> is <c>running</c>.</summary>
    public static string ApiState(string state) => state == JobStates.InProgress ? "running" : state;

    /// <summary>The stored state of an API state name, or null for a name the API does not list.</summary>
    public static string? StoredState(string apiState) => apiState switch
    {
        "queued" => JobStates.Queued,
        "running" => JobStates.InProgress,
        "failed" => JobStates.Failed,
        _ => null,
    };
}
