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

    public int LatestSchemaVersion => Schema.Postgres.Length;

    public async Task<int> SchemaVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        if (await connection.ExecuteScalarAsync<string?>("SELECT to_regclass('schema_migrations')::text") is null) return 0;
        return await connection.ExecuteScalarAsync<int>("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    }

    public async Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockAsync(connection, transaction, MigrationLock, cancellationToken);
        await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
            transaction: transaction);
        var version = await connection.ExecuteScalarAsync<int>("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", transaction: transaction);
        for (var next = version; next < Schema.Postgres.Length; next++)
        {
            await connection.ExecuteAsync(Schema.Postgres[next], transaction: transaction);
            await connection.ExecuteAsync("INSERT INTO schema_migrations (version, applied_at) VALUES (@version, @now)",
                new { version = next + 1, now = DateTimeOffset.UtcNow.ToString("O") }, transaction);
        }
        await transaction.CommitAsync(cancellationToken);
        return Math.Max(0, Schema.Postgres.Length - version);
    }

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}
