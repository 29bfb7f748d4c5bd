using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Mediary.Tests.Infrastructure;

/// <summary>
/// The database a test server uses. On the embedded default that is the SQLite file in its data
/// directory. When the suite runs on PostgreSQL (<c>MEDIARY_TEST_POSTGRES</c> holds a connection
/// string to the server that scripts/test.sh started, without a database name), every test server
/// gets a database of its own there, dropped afterwards.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public static string? PostgresServer => System.Environment.GetEnvironmentVariable("MEDIARY_TEST_POSTGRES") is { Length: > 0 } s ? s : null;

    public static bool OnPostgres => PostgresServer is not null;

    private readonly string? _name;
    private readonly string _dataDirectory;

    private TestDatabase(string dataDirectory, string? name)
    {
        _dataDirectory = dataDirectory;
        _name = name;
    }

    public static TestDatabase For(string dataDirectory)
    {
        if (PostgresServer is not { } server) return new TestDatabase(dataDirectory, null);
        var name = "mediary_test_" + Guid.NewGuid().ToString("N");
        using var connection = new NpgsqlConnection(server + ";Database=postgres");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'";
        command.ExecuteNonQuery();
        return new TestDatabase(dataDirectory, name);
    }

    /// <summary>The connection string of this server's PostgreSQL database; null on SQLite.</summary>
    public string? PostgresConnectionString => _name is null ? null : $"{PostgresServer};Database={_name}";

    /// <summary>Configuration keys that point the server at this database (none for SQLite).</summary>
    public IReadOnlyDictionary<string, string> Settings => _name is null
        ? new Dictionary<string, string>()
        : new Dictionary<string, string> { ["Database:Provider"] = "PostgreSQL", ["Database:ConnectionString"] = PostgresConnectionString! };

    /// <summary><see cref="Settings"/> as environment variables, for CLI and server processes.</summary>
    public IReadOnlyDictionary<string, string> Environment => AsEnvironment(Settings);

    /// <summary>Configuration keys as the environment variables .NET reads them from ("A:B" is A__B).</summary>
    public static IReadOnlyDictionary<string, string> AsEnvironment(IEnumerable<KeyValuePair<string, string>> settings) =>
        settings.ToDictionary(setting => setting.Key.Replace(":", "__"), setting => setting.Value);

    /// <summary>A connection for tests that look at rows directly.</summary>
    public async Task<DbConnection> OpenAsync()
    {
        DbConnection connection = _name is null
            ? new SqliteConnection($"Data Source={Path.Combine(_dataDirectory, "mediary.db")};Pooling=False;Default Timeout=30")
            : new NpgsqlConnection(PostgresConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        if (_name is null) return;
        await using var connection = new NpgsqlConnection(PostgresServer + ";Database=postgres");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)";
        await command.ExecuteNonQueryAsync();
    }
}
