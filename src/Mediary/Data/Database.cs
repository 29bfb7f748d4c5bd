using System.Data.Common;
using Dapper;
using Mediary.Configuration;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Mediary.Data;

/// <summary>Opens connections to the database. SQLite today; the same SQL serves PostgreSQL later.</summary>
public interface IDatabase
{
    Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default);
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

    /// <summary>
    /// A pooled connection. Microsoft.Data.Sqlite itself waits and retries while another writer
    /// holds the lock (SQLITE_BUSY), up to <c>Default Timeout</c>: that is the busy timeout.
    /// </summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>Creates or upgrades the schema; safe to run from several processes.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync("PRAGMA journal_mode = WAL;");
        // BEGIN IMMEDIATE: two processes starting at once migrate one after the other.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var version = await connection.ExecuteScalarAsync<int>("PRAGMA user_version", transaction: transaction);
        for (var next = version; next < Schema.Migrations.Length; next++)
        {
            await connection.ExecuteAsync(Schema.Migrations[next], transaction: transaction);
        }
        if (version < Schema.Migrations.Length)
        {
            await connection.ExecuteAsync($"PRAGMA user_version = {Schema.Migrations.Length}", transaction: transaction);
        }
        await transaction.CommitAsync(cancellationToken);
    }
}
