using System.Data.Common;
using Dapper;
using Mediary.Configuration;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Mediary.Data;

/// <summary>
/// The database: SQLite on the embedded default, PostgreSQL to scale out. Repositories write one
/// SQL that both accept; the few places where the engines differ ask this interface.
/// </summary>
public interface IDatabase
{
    Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Several processes may write it at once (PostgreSQL). Per-process caches of rows are then
    /// unsound and stay off, and start-up must not take over work other processes hold.
    /// </summary>
    bool IsShared { get; }

    /// <summary>
    /// Appended to a <c>SELECT</c> that a transaction will update: " FOR UPDATE" on PostgreSQL; nothing
    /// on SQLite, whose write transactions (<c>BEGIN IMMEDIATE</c>) already exclude other writers.
    /// </summary>
    string ForUpdate { get; }

    /// <summary>Inside a claim's subquery: " FOR UPDATE SKIP LOCKED" on PostgreSQL, nothing on SQLite.</summary>
    string SkipLocked { get; }

    /// <summary>
    /// "is one of the list <paramref name="parameter"/>": Dapper expands <c>IN @list</c> for SQLite,
    /// but passes a list to PostgreSQL as one array, which needs <c>= ANY(@list)</c>.
    /// </summary>
    string InList(string parameter);

    /// <summary>
    /// Makes the caller's transaction wait for any other transaction holding <paramref name="key"/>
    /// (a PostgreSQL advisory lock, released at commit); nothing on SQLite, where it already waits.
    /// </summary>
    Task LockAsync(DbConnection connection, DbTransaction transaction, long key, CancellationToken cancellationToken = default);

    /// <summary>Creates or upgrades the schema; safe to run from several processes at once. Returns the migrations applied.</summary>
    Task<int> MigrateAsync(CancellationToken cancellationToken = default);

    /// <summary>The schema version the database is at (0 when it has none yet).</summary>
    Task<int> SchemaVersionAsync(CancellationToken cancellationToken = default);

    /// <summary>The schema version this build needs.</summary>
    int LatestSchemaVersion { get; }

    /// <summary>
    /// For periodic work that must run once across all processes: a lock on <paramref name="key"/>
    /// held until the handle is disposed, or null when another process holds it now. Always
    /// granted on SQLite, where one server runs.
    /// </summary>
    Task<IAsyncDisposable?> TryHoldLockAsync(long key, CancellationToken cancellationToken = default);
}

/// <summary>The schema at start-up: brought up to date, or checked when the operator migrates by hand.</summary>
public static class SchemaStartup
{
    /// <summary>
    /// Migrates when <see cref="DatabaseOptions.MigrateOnStart"/> allows it; otherwise refuses a
    /// schema older than this build needs, naming the command that upgrades it.
    /// </summary>
    public static async Task EnsureCurrentAsync(this IDatabase database, DatabaseOptions options, CancellationToken cancellationToken = default)
    {
        if (options.MigrateOnStart)
        {
            await database.MigrateAsync(cancellationToken);
            return;
        }
        var version = await database.SchemaVersionAsync(cancellationToken);
        if (version < database.LatestSchemaVersion)
        {
            throw new SchemaOutOfDateException(
                $"The database schema is at version {version}, and this build of Mediary needs version {database.LatestSchemaVersion}: " +
                "run 'mediary migrate' first (Database:MigrateOnStart is false).");
        }
    }
}

public sealed class SchemaOutOfDateException(string message) : InvalidOperationException(message);

/// <summary>Keys of the cluster-wide locks of periodic work.</summary>
public static class ClusterLocks
{
    public const long Vacuum = 0x6d65_6469_6172_7902;
    public const long DirectCleanup = 0x6d65_6469_6172_7903;
    public const long ResumableCleanup = 0x6d65_6469_6172_7904;
}

/// <summary>
/// The embedded default: one SQLite file in the data directory, in WAL mode so the CLI and the
/// server can work on it at once, with a busy timeout so writers wait instead of failing.
/// </summary>
public sealed class SqliteDatabase : IDatabase
{
    private readonly string _connectionString;

    public SqliteDatabase(IOptions<MediaryOptions> options)
    {
        var dataDirectory = Path.GetFullPath(options.Value.DataDirectory);
        Directory.CreateDirectory(dataDirectory);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, "mediary.db"),
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public bool IsShared => false;
    public string ForUpdate => "";
    public string SkipLocked => "";
    public string InList(string parameter) => $"IN {parameter}";

    public Task LockAsync(DbConnection connection, DbTransaction transaction, long key, CancellationToken cancellationToken = default) =>
        Task.CompletedTask;

    public Task<IAsyncDisposable?> TryHoldLockAsync(long key, CancellationToken cancellationToken = default) =>
        Task.FromResult<IAsyncDisposable?>(NoLock.Instance);

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>
    /// A pooled connection. Its transactions are <c>BEGIN IMMEDIATE</c>: one writer at a time.
    /// While another writer holds the lock, SQLite's own busy handler waits (in steps of a few
    /// milliseconds, up to <see cref="BusyTimeoutMilliseconds"/>); without it Microsoft.Data.Sqlite
    /// retries after fixed sleeps of 150 ms, which two overlapping writes pay in full.
    /// </summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    private const int BusyTimeoutMilliseconds = 30_000;

    public int LatestSchemaVersion => Schema.Latest;

    public async Task<int> SchemaVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>("PRAGMA user_version");
    }

    public async Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync("PRAGMA journal_mode = WAL;");
        // BEGIN IMMEDIATE: two processes starting at once migrate one after the other.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var version = await connection.ExecuteScalarAsync<int>("PRAGMA user_version", transaction: transaction);
        for (var next = version; next < Schema.Latest; next++)
        {
            var migration = Schema.Migrations[next];
            await connection.ExecuteAsync(migration.SqlFor(postgres: false), transaction: transaction);
            if (migration.Then is { } then) await then(connection, transaction);
        }
        if (version < Schema.Latest)
        {
            await connection.ExecuteAsync($"PRAGMA user_version = {Schema.Latest}", transaction: transaction);
        }
        await transaction.CommitAsync(cancellationToken);
        return Math.Max(0, Schema.Latest - version);
    }
}
