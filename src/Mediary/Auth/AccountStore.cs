using Dapper;
using Mediary.Data;

namespace Mediary.Auth;

public sealed record Account(long Id, string Username, string CreatedAt);

public sealed class AccountStore(IDatabase database)
{
    public async Task<Account> CreateAsync(string username)
    {
        if (!IsValidUsername(username)) throw new ArgumentException("a username is 1-30 letters, digits or underscores");
        await using var connection = await database.OpenAsync();
        var exists = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM accounts WHERE username = @username", new { username });
        if (exists > 0) throw new ArgumentException($"account {username} already exists");
        var account = new Account(SnowflakeId.Next(), username, DateTimeOffset.UtcNow.ToString("O"));
        await connection.ExecuteAsync("INSERT INTO accounts (id, username, created_at) VALUES (@Id, @Username, @CreatedAt)", account);
        return account;
    }

    public async Task<IReadOnlyList<Account>> ListAsync()
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<Account>("SELECT id, username, created_at AS CreatedAt FROM accounts ORDER BY id")).AsList();
    }

    public async Task<Account?> FindAsync(string username)
    {
        await using var connection = await database.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<Account>(
            "SELECT id, username, created_at AS CreatedAt FROM accounts WHERE username = @username", new { username });
    }

    public async Task<Account?> FindAsync(long id)
    {
        await using var connection = await database.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<Account>(
            "SELECT id, username, created_at AS CreatedAt FROM accounts WHERE id = @id", new { id });
    }

    private static bool IsValidUsername(string name) =>
        name.Length is > 0 and <= 30 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
