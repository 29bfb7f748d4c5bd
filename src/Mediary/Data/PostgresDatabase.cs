using System.Data.Common;
using Dapper;
using Mediary.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Mediary.Data;

/// <summary>
/// PostgreSQL, shared by any number of API and worker processes. Row locks (<c>FOR UPDATE</c>,
/// <c>SKIP LOCKED</c>) and advisory locks stand in for SQLite's single writer.
/// </summary>
public sealed class PostgresDatabase : IDatabase, IAsyncDisposable
{
    /// <summary>The advisory lock key that serialises schema migrations across processes.</summary>
    private const long MigrationLock = 0x6d65_6469_6172_7901;

    private readonly NpgsqlDataSource _source;

    public PostgresDatabase(IOptions<DatabaseOptions> options)
    {
        var connectionString = options.Value.ConnectionString;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException("Database:Provider is PostgreSQL, so Database:ConnectionString must be set, e.g. Host=db;Username=mediary;Password=...;Database=mediary");
        }
        _source = NpgsqlDataSource.Create(connectionString);
    }

    public bool IsShared => true;
    public string ForUpdate => " FOR UPDATE";
    public string SkipLocked => " FOR UPDATE SKIP LOCKED";
    public string InList(string parameter) => $"= ANY({parameter})";

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default) =>
        await _source.OpenConnectionAsync(cancellationToken);

    public Task LockAsync(DbConnection connection, DbTransaction transaction, long key, CancellationToken cancellationToken = default) =>
        connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@key)", new { key }, transaction, cancellationToken: cancellationToken));

    public async Task<IAsyncDisposable?> TryHoldLockAsync(long key, CancellationToken cancellationToken = default)
    {
        var connection = await OpenAsync(cancellationToken);
        try
        {
            if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT pg_try_advisory_lock(@key)", new { key },
                    cancellationToken: cancellationToken)))
            {
                return new HeldLock(connection, key);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        await connection.DisposeAsync();
        return null;
    }

    /// <summary>A session-level advisory lock, released with its connection.</summary>
    private sealed class HeldLock(DbConnection connection, long key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await connection.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key });
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }

    public int LatestSchemaVersion => Schema.Latest;

    public async Task<int> SchemaVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        if (await connection.ExecuteScalarAsync<string?>("SELECT to_regclass('schema_migrations')::text") is null) return 0;
        var recorded = await connection.ExecuteScalarAsync<int>("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
        return await IsLegacyNumberingAsync(connection, null, recorded) ? recorded + Schema.LegacyPostgresOffset : recorded;
    }

    public async Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockAsync(connection, transaction, MigrationLock, cancellationToken);
        await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
            transaction: transaction);
        var version = await connection.ExecuteScalarAsync<int>("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", transaction: transaction);
        if (await IsLegacyNumberingAsync(connection, transaction, version))
        {
            // Renumbered to the shared list: the versions it had are the shared list's up to version + offset.
            await connection.ExecuteAsync("UPDATE schema_migrations SET version = version + @offset",
                new { offset = Schema.LegacyPostgresOffset }, transaction);
            for (var earlier = 1; earlier <= Schema.LegacyPostgresOffset; earlier++) await RecordAsync(connection, transaction, earlier);
            version += Schema.LegacyPostgresOffset;
        }
        for (var next = version; next < Schema.Latest; next++)
        {
            var migration = Schema.Migrations[next];
            await connection.ExecuteAsync(migration.SqlFor(postgres: true), transaction: transaction);
            if (migration.Then is { } then) await then(connection, transaction);
            await RecordAsync(connection, transaction, next + 1);
        }
        await transaction.CommitAsync(cancellationToken);
        return Math.Max(0, Schema.Latest - version);
    }

    private static Task RecordAsync(DbConnection connection, DbTransaction transaction, int version) =>
        connection.ExecuteAsync("INSERT INTO schema_migrations (version, applied_at) VALUES (@version, @now)",
            new { version, now = DateTimeOffset.UtcNow.ToString("O") }, transaction);

    /// <summary>
    /// A database numbered by PostgreSQL's own list of before: at most its version 3, yet already
    /// holding the direct upload tables, which the shared list only creates at version 6.
    /// </summary>
    private static async Task<bool> IsLegacyNumberingAsync(DbConnection connection, DbTransaction? transaction, int recorded) =>
        recorded is > 0 and <= 3
        && await connection.ExecuteScalarAsync<string?>("SELECT to_regclass('direct_media')::text", transaction: transaction) is not null;

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}
