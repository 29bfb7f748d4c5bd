using System.Data.Common;
using Dapper;
using Mediary.Data;
using Microsoft.Extensions.Options;

namespace Mediary.Jobs;

/// <summary>
/// The job queue in the database. A claim is a single <c>UPDATE … RETURNING</c> on the next
/// ready row (owners in turn, see <see cref="IJobQueue.ClaimAsync"/>): on SQLite, with one writer at a time, two workers can never take the same job; on
/// PostgreSQL the row is picked with <c>FOR UPDATE SKIP LOCKED</c>, so concurrent workers in any
/// number of processes each take a different one without waiting for each other.
/// </summary>
public sealed class SqlJobQueue(IDatabase database, JobSignal signal, IOptions<JobOptions> options) : IJobQueue
{
    private static string Now() => DateTimeOffset.UtcNow.ToString("O");

    /// <summary>
    /// Jobs in progress of the queued job <c>q</c>'s owner (none for a job without one). Across
    /// several PostgreSQL workers two claims may count at once, so the bound holds approximately there.
    /// </summary>
    private const string RunningOfOwner = "(SELECT COUNT(*) FROM media_jobs r WHERE r.owner = q.owner AND r.state = 'in_progress')";

    /// <summary>The columns of a <see cref="MediaJob"/>, in its constructor's order.</summary>
    private const string Returned = "id, kind, subject, attempts, max_attempts AS MaxAttempts, traceparent AS TraceParent";

    public async Task<JobTransaction> BeginAsync(CancellationToken cancellationToken = default)
    {
        var connection = await database.OpenAsync(cancellationToken);
        try
        {
            return new JobTransaction(connection, await connection.BeginTransactionAsync(cancellationToken), signal, InsertAsync);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private Task InsertAsync(DbConnection connection, DbTransaction transaction, string kind, string subject, string owner,
        CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO media_jobs (id, kind, subject, owner, state, attempts, max_attempts, run_after, created_at, updated_at, traceparent)
            VALUES (@id, @kind, @subject, @owner, 'queued', 0, @maxAttempts, @now, @now, @now, @traceParent)
            """, new
        {
            id = SnowflakeId.Next(),
            kind,
            subject,
            owner,
            maxAttempts = options.Value.MaxAttempts,
            now = Now(),
            traceParent = Telemetry.MediaryTraces.CurrentTraceParent(),
        },
            transaction, cancellationToken: cancellationToken));

    public async Task<MediaJob?> ClaimAsync(string workerId, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var now = DateTimeOffset.UtcNow;
        return await connection.QuerySingleOrDefaultAsync<MediaJob>(new CommandDefinition($"""
            UPDATE media_jobs
               SET state = 'in_progress', attempts = attempts + 1, locked_by = @workerId, locked_until = @until, updated_at = @now
             WHERE id = (SELECT q.id FROM media_jobs q
                          WHERE q.state = 'queued' AND q.run_after <= @now AND {RunningOfOwner} < @perOwner
                          ORDER BY {RunningOfOwner}, q.id LIMIT 1{database.SkipLocked})
            RETURNING {Returned}
            """, new { workerId, until = (now + lease).ToString("O"), now = now.ToString("O"), perOwner = options.Value.PerAccountConcurrency },
            cancellationToken: cancellationToken));
    }

    public async Task CompleteAsync(MediaJob job, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE media_jobs SET state = 'complete', locked_by = NULL, locked_until = NULL, updated_at = @now WHERE id = @Id",
            new { job.Id, now = Now() }, cancellationToken: cancellationToken));
    }

    public async Task<bool> RenewAsync(MediaJob job, string workerId, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var now = DateTimeOffset.UtcNow;
        return await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE media_jobs SET locked_until = @until, updated_at = @now WHERE id = @Id AND state = 'in_progress' AND locked_by = @workerId
            """, new { job.Id, workerId, until = (now + lease).ToString("O"), now = now.ToString("O") }, cancellationToken: cancellationToken)) > 0;
    }

    public async Task<bool> FailAttemptAsync(MediaJob job, string error, TimeSpan retryDelay, CancellationToken cancellationToken = default)
    {
        var exhausted = job.Attempts >= job.MaxAttempts;
        await ReleaseAsync(job, exhausted ? JobStates.Failed : JobStates.Queued, attemptsBack: 0, error, retryDelay, cancellationToken);
        return exhausted;
    }

    public Task PostponeAsync(MediaJob job, string error, TimeSpan retryDelay, CancellationToken cancellationToken = default) =>
        ReleaseAsync(job, JobStates.Queued, attemptsBack: 1, error, retryDelay, cancellationToken);

    private async Task ReleaseAsync(MediaJob job, string state, int attemptsBack, string error, TimeSpan retryDelay, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE media_jobs
               SET state = @state, attempts = attempts - @attemptsBack, last_error = @error, run_after = @runAfter,
                   locked_by = NULL, locked_until = NULL, updated_at = @now
             WHERE id = @Id
            """, new
        {
            job.Id,
            state,
            attemptsBack,
            error = error.Length > 2000 ? error[..2000] : error,
            runAfter = (DateTimeOffset.UtcNow + retryDelay).ToString("O"),
            now = Now(),
        }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<MediaJob>> ReclaimAsync(bool everything, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = Now();
        var condition = everything ? "state = 'in_progress'" : "state = 'in_progress' AND locked_until < @now";
        var failed = (await connection.QueryAsync<MediaJob>(
            $"UPDATE media_jobs SET state = 'failed', last_error = 'interrupted on its last attempt', locked_by = NULL, updated_at = @now WHERE {condition} AND attempts >= max_attempts RETURNING {Returned}",
            new { now }, transaction)).AsList();
        await connection.ExecuteAsync(
            $"UPDATE media_jobs SET state = 'queued', run_after = @now, locked_by = NULL, locked_until = NULL, updated_at = @now WHERE {condition}",
            new { now }, transaction);
        await transaction.CommitAsync(cancellationToken);
        return failed;
    }

    public async Task<long> QueuedCountAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM media_jobs WHERE state = 'queued'", cancellationToken: cancellationToken));
    }

    public async Task<DateTimeOffset?> OldestQueuedAtAsync(CancellationToken cancellationToken = default)
    {
        // Every created_at is written by Now() (UTC, round-trip format), so the text's order is the time's.
        await using var connection = await database.OpenAsync(cancellationToken);
        var oldest = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT MIN(created_at) FROM media_jobs WHERE state = 'queued'", cancellationToken: cancellationToken));
        return oldest is null ? null : DateTimeOffset.Parse(oldest, System.Globalization.CultureInfo.InvariantCulture);
    }
}
