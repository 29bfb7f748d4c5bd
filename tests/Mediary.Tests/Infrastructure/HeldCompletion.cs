using System.Data.Common;
using Dapper;

namespace Mediary.Tests.Infrastructure;

/// <summary>
/// Holds back, in a test server's PostgreSQL database, the update that records a media as
/// processed, until disposed: a trigger makes that update wait for an advisory lock this object
/// holds. Disposing lets it go and removes the trigger.
/// </summary>
internal sealed class HeldCompletion : IAsyncDisposable
{
    private const long LockKey = 0x6d65646961;
    private readonly TestDatabase _database;
    private DbConnection? _holder;

    private HeldCompletion(TestDatabase database, DbConnection holder)
    {
        _database = database;
        _holder = holder;
    }

    public static async Task<HeldCompletion> StartAsync(TestDatabase database)
    {
        var holder = await database.OpenAsync();
        await holder.ExecuteAsync("SELECT pg_advisory_lock(@key)", new { key = LockKey });
        await holder.ExecuteAsync($"""
            CREATE FUNCTION test_hold_completion() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM pg_advisory_xact_lock_shared({LockKey}); RETURN NEW; END $$;
            CREATE TRIGGER test_hold_completion BEFORE UPDATE ON media_attachments FOR EACH ROW
                WHEN (NEW.processing = 'complete' AND OLD.processing <> 'complete') EXECUTE FUNCTION test_hold_completion();
            """);
        return new HeldCompletion(database, holder);
    }

    /// <summary>Whether, within <paramref name="timeout"/>, a worker came to record a media as processed and waits.</summary>
    public Task<bool> UntilWorkerWaitsAsync(TimeSpan timeout) => Polling.UntilAsync(async () =>
    {
        await using var connection = await _database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("""
            SELECT count(*) FROM pg_locks JOIN pg_database ON pg_database.oid = pg_locks.database
             WHERE pg_database.datname = current_database() AND locktype = 'advisory' AND NOT granted
               AND ((classid::bigint << 32) | objid::bigint) = @key
            """, new { key = LockKey }) > 0;
    }, timeout);

    public async ValueTask DisposeAsync()
    {
        if (_holder is not { } holder) return;
        _holder = null;
        await holder.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key = LockKey });
        await holder.DisposeAsync();
        await using var connection = await _database.OpenAsync();
        await connection.ExecuteAsync("""
            DROP TRIGGER test_hold_completion ON media_attachments;
            DROP FUNCTION test_hold_completion();
            """);
    }
}
