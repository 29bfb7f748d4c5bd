using Dapper;
using Mediary.Data;
using Microsoft.AspNetCore.Identity;

namespace Mediary.Auth;

public sealed record Account(long Id, string Username, string CreatedAt, string? Email = null, bool Admin = false);

/// <summary>The result of checking a sign-in: the account, or null for a wrong name or password (not saying which).</summary>
public sealed record SignInCheck(Account? Account);

public sealed class AccountStore(IDatabase database)
{
    /// <summary>Mastodon's limit on a local username.</summary>
    public const int UsernameMaxLength = 30;

    /// <summary>Devise's password length as Mastodon configures it (bcrypt reads at most 72 bytes).</summary>
    public const int PasswordMinLength = 8, PasswordMaxLength = 72;

    private const string Columns = "id, username, created_at AS CreatedAt, email, admin, password_hash AS PasswordHash";

    private static readonly PasswordHasher<Account> Hasher = new();

    // Verified against when no account matches, so a wrong name costs as long as a wrong password.
    private static readonly string DummyHash = Hasher.HashPassword(new Account(0, "", ""), Guid.NewGuid().ToString());

    public async Task<Account> CreateAsync(string username, string? email = null, string? password = null, bool admin = false)
    {
        if (!IsValidUsername(username)) throw new ArgumentException("a username is 1-30 letters, digits or underscores");
        if (password is not null && PasswordProblem(password) is { } problem) throw new ArgumentException(problem);
        var normalisedEmail = email is null ? null : NormaliseEmail(email);
        await using var connection = await database.OpenAsync();
        if (await UsernameTakenAsync(connection, username)) throw new ArgumentException($"account {username} already exists");
        if (normalisedEmail is not null && await EmailTakenAsync(connection, normalisedEmail))
            throw new ArgumentException($"an account with the e-mail address {normalisedEmail} already exists");
        var account = new Account(SnowflakeId.Next(), username, DateTimeOffset.UtcNow.ToString("O"), normalisedEmail, admin);
        await connection.ExecuteAsync(
            "INSERT INTO accounts (id, username, created_at, email, password_hash, admin) VALUES (@Id, @Username, @CreatedAt, @Email, @hash, @Admin)",
            new { account.Id, account.Username, account.CreatedAt, account.Email, hash = password is null ? null : Hasher.HashPassword(account, password), account.Admin });
        return account;
    }

    public async Task<IReadOnlyList<Account>> ListAsync()
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<AccountRow>($"SELECT {Columns} FROM accounts ORDER BY id")).Select(row => row.Account).ToList();
    }

    /// <summary>Accounts newest first, at most <paramref name="limit"/>, those with an id below <paramref name="maxId"/> when given (Mastodon's paging).</summary>
    public async Task<IReadOnlyList<Account>> PageAsync(int limit, long? maxId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var below = maxId is null ? "" : "WHERE id < @maxId";
        return (await connection.QueryAsync<AccountRow>(new CommandDefinition(
            $"SELECT {Columns} FROM accounts {below} ORDER BY id DESC LIMIT @limit", new { limit, maxId }, cancellationToken: cancellationToken)))
            .Select(row => row.Account).ToList();
    }

    public async Task<Account?> FindAsync(string username)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QuerySingleOrDefaultAsync<AccountRow>($"SELECT {Columns} FROM accounts WHERE username = @username", new { username }))?.Account;
    }

    public async Task<Account?> FindAsync(long id)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QuerySingleOrDefaultAsync<AccountRow>($"SELECT {Columns} FROM accounts WHERE id = @id", new { id }))?.Account;
    }

    /// <summary>Sets (or replaces) the password of an account; false when there is no such account.</summary>
    public async Task<bool> SetPasswordAsync(string username, string password)
    {
        if (PasswordProblem(password) is { } problem) throw new ArgumentException(problem);
        var account = await FindAsync(username);
        if (account is null) return false;
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync("UPDATE accounts SET password_hash = @hash WHERE id = @Id", new { hash = Hasher.HashPassword(account, password), account.Id });
        return true;
    }

    /// <summary>Marks an account admin or not; false when there is no such account.</summary>
    public async Task<bool> SetAdminAsync(string username, bool admin)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteAsync("UPDATE accounts SET admin = @admin WHERE username = @username", new { admin, username }) > 0;
    }

    /// <summary>
    /// Checks a sign-in by username (any case) or e-mail address. Always runs one hash check, also
    /// when nothing matches, so the answer's timing does not tell whether a name exists.
    /// </summary>
    public async Task<SignInCheck> CheckPasswordAsync(string login, string password)
    {
        login = login.Trim();
        await using var connection = await database.OpenAsync();
        var row = await connection.QuerySingleOrDefaultAsync<AccountRow>(
            $"SELECT {Columns} FROM accounts WHERE lower(username) = lower(@login) OR email = @email", new { login, email = NormaliseEmail(login) });
        var account = row?.Account;
        var verdict = Hasher.VerifyHashedPassword(account ?? new Account(0, "", ""), row?.PasswordHash ?? DummyHash, password);
        var matches = account is not null && row!.PasswordHash is not null && verdict != PasswordVerificationResult.Failed;
        if (matches && verdict == PasswordVerificationResult.SuccessRehashNeeded)
            await connection.ExecuteAsync("UPDATE accounts SET password_hash = @hash WHERE id = @Id", new { hash = Hasher.HashPassword(account!, password), account!.Id });
        return new SignInCheck(matches ? account : null);
    }

    public async Task<bool> UsernameTakenAsync(string username)
    {
        await using var connection = await database.OpenAsync();
        return await UsernameTakenAsync(connection, username);
    }

    public async Task<bool> EmailTakenAsync(string email)
    {
        await using var connection = await database.OpenAsync();
        return await EmailTakenAsync(connection, NormaliseEmail(email));
    }

    /// <summary>Why a password is refused, or null when it is acceptable.</summary>
    public static string? PasswordProblem(string password) => Characters(password) switch
    {
        < PasswordMinLength => $"a password has at least {PasswordMinLength} characters",
        > PasswordMaxLength => $"a password has at most {PasswordMaxLength} characters",
        _ => null,
    };

    /// <summary>A length as Ruby's String#length and so Rails' length validations count it: characters (code points), not UTF-16 units.</summary>
    public static int Characters(string text) => text.EnumerateRunes().Count();

    public static bool IsValidUsername(string name) =>
        name.Length is > 0 and <= UsernameMaxLength && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    /// <summary>E-mail addresses are compared and stored trimmed and in lower case.</summary>
    public static string NormaliseEmail(string email) => email.Trim().ToLowerInvariant();

    // Mastodon compares usernames without case: "Alice" is taken when "alice" exists.
    private static async Task<bool> UsernameTakenAsync(System.Data.Common.DbConnection connection, string username) =>
        await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM accounts WHERE lower(username) = lower(@username)", new { username }) > 0;

    private static async Task<bool> EmailTakenAsync(System.Data.Common.DbConnection connection, string email) =>
        await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM accounts WHERE email = @email", new { email }) > 0;

    /// <summary>A row as Dapper reads it (SQLite keeps the admin flag as an integer).</summary>
    private sealed class AccountRow
    {
        public long Id { get; init; }
        public string Username { get; init; } = "";
        public string CreatedAt { get; init; } = "";
        public string? Email { get; init; }
        public bool Admin { get; init; }
        public string? PasswordHash { get; init; }

        public Account Account => new(Id, Username, CreatedAt, Email, Admin);
    }
}
