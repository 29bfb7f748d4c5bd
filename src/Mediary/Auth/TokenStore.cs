using System.Collections.Concurrent;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Mediary.Configuration;
using Mediary.Data;
using Mediary.OAuth;
using Microsoft.Extensions.Options;

namespace Mediary.Auth;

/// <param name="AccountId">The user the token acts for; null for an application's own token (client_credentials).</param>
/// <param name="ApplicationId">The OAuth application that obtained it; null for a token minted on the command line.</param>
public sealed record AccessTokenInfo(long Id, long? AccountId, long? ApplicationId, string Scopes, string CreatedAt, string? RevokedAt);

/// <summary>A token as the operator lists it, with the names of its account and application.</summary>
/// <param name="LastUsedAt">When a request last came with it, to within OAuth:TokenLastUsedIntervalSeconds; null before its first use.</param>
public sealed record TokenListing(long Id, long? AccountId, string? Username, long? ApplicationId, string? ApplicationName, string Scopes, string CreatedAt,
    string? LastUsedAt);

/// <summary>A token just issued: the secret itself (shown once) and what the token endpoint answers about it.</summary>
public sealed record IssuedToken(string Token, long Id, string Scopes, DateTimeOffset CreatedAt);

/// <summary>The outcome of presenting a bearer token.</summary>
public sealed record TokenCheck(AccessTokenInfo? Token)
{
    public bool IsValid => Token is { RevokedAt: null };
    public bool IsRevoked => Token is { RevokedAt: not null };

    /// <summary>Mastodon's doorkeeper_authorize!: the token needs any one of the listed scopes.</summary>
    public bool HasAnyScope(params string[] scopes) =>
        Token is not null && Token.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(scopes.Contains);
}

/// <summary>
/// OAuth-style access tokens. Only a SHA-256 of each token is stored.
/// Valid tokens are remembered (in this process's memory, keyed by the token) after their first use, because every API request checks one.
/// Revocation must still act at once, also when the CLI revokes in another process: every
/// revocation rewrites a marker file in the data directory, and the cache is dropped whenever
/// the marker's timestamp changes (see ChangeMarker: at most one stat a millisecond instead of one query per request).
/// A token's last use is written at most once per OAuth:TokenLastUsedIntervalSeconds per process, for the same reason.
/// </summary>
public sealed class TokenStore(IDatabase database, IOptions<MediaryOptions> options, IOptions<OAuthOptions> oauth, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, AccessTokenInfo> _valid = new(StringComparer.Ordinal);
    // Token id → when this process last wrote its last_used_at (UTC ticks).
    private readonly ConcurrentDictionary<long, long> _useWritten = new();
    private readonly ChangeMarker _revocationMarker = new(Path.Combine(Path.GetFullPath(options.Value.DataDirectory), "tokens.revoked"));
    private long _revocations;

    private const string Columns = "id, account_id AS AccountId, application_id AS ApplicationId, scopes, created_at AS CreatedAt, revoked_at AS RevokedAt";

    public async Task<string> CreateAsync(long accountId, string scopes) => (await IssueAsync(accountId, null, scopes)).Token;

    /// <summary>Issues a token for an account, an application, or both (a user's token obtained through an app).</summary>
    public async Task<IssuedToken> IssueAsync(long? accountId, long? applicationId, string scopes)
    {
        var normalised = string.Join(' ', scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        if (normalised.Length == 0) throw new ArgumentException("at least one scope is needed, e.g. \"read write\"");
        // Never starting with '-' or '_': a token is passed on command lines (tokens revoke, keys revoke),
        // where a leading dash would read as an option.
        string token;
        do token = Base64Url(RandomNumberGenerator.GetBytes(32));
        while (!char.IsAsciiLetterOrDigit(token[0]));
        var id = SnowflakeId.Next();
        var createdAt = DateTimeOffset.UtcNow;
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync(
            "INSERT INTO access_tokens (id, account_id, application_id, token_hash, scopes, created_at) VALUES (@id, @accountId, @applicationId, @hash, @scopes, @createdAt)",
            new { id, accountId, applicationId, hash = Hash(token), scopes = normalised, createdAt = createdAt.ToString("O") });
        return new IssuedToken(token, id, normalised, createdAt);
    }

    public async Task<TokenCheck> CheckAsync(string token)
    {
        DropCacheIfRevoked();
        // Remembered by the token itself, so a request whose token was seen needs no hash.
        if (_valid.TryGetValue(token, out var cached))
        {
            await NoteUseAsync(cached.Id);
            return new TokenCheck(cached);
        }
        var hash = Hash(token);

        var revocationsBefore = Interlocked.Read(ref _revocations);
        await using var connection = await database.OpenAsync();
        var info = await connection.QuerySingleOrDefaultAsync<AccessTokenInfo>(
            $"SELECT {Columns} FROM access_tokens WHERE token_hash = @hash",
            new { hash });
        // A revocation that landed while we read may postdate the row we got: then don't remember it.
        DropCacheIfRevoked();
        // On a shared database a revocation may come from another machine, which no marker file tells.
        if (info is { RevokedAt: null } && !database.IsShared && Interlocked.Read(ref _revocations) == revocationsBefore && _valid.Count < 100_000)
        {
            _valid[token] = info;
            // A revocation between the check and the insert has already cleared the cache: undo.
            if (Interlocked.Read(ref _revocations) != revocationsBefore) _valid.TryRemove(token, out _);
        }
        if (info is { RevokedAt: null }) await NoteUseAsync(info.Id);
        return new TokenCheck(info);
    }

    /// <summary>
    /// Records that the token was used now, unless this process did so less than the interval ago: a
    /// write a minute per token (by default), not one per request. Only the request that moves the
    /// mark writes; a database that cannot take the write now does not fail the request.
    /// </summary>
    private async Task NoteUseAsync(long id)
    {
        var now = time.GetUtcNow();
        var known = _useWritten.TryGetValue(id, out var last);
        if (known && now.UtcTicks - last < TimeSpan.FromSeconds(oauth.Value.TokenLastUsedIntervalSeconds).Ticks) return;
        if (known ? !_useWritten.TryUpdate(id, now.UtcTicks, last) : !_useWritten.TryAdd(id, now.UtcTicks)) return;
        if (_useWritten.Count > 100_000) _useWritten.Clear();
        try
        {
            await using var connection = await database.OpenAsync();
            await connection.ExecuteAsync("UPDATE access_tokens SET last_used_at = @now WHERE id = @id", new { now = now.ToString("O"), id });
        }
        catch (DbException)
        {
            _useWritten.TryRemove(id, out _);
        }
    }

    private void DropCacheIfRevoked()
    {
        if (!_revocationMarker.Changed()) return;
        Interlocked.Increment(ref _revocations);
        _valid.Clear();
    }

    /// <summary>The account's tokens; with <paramref name="scopes"/>, only those with exactly these scopes (e.g. API keys).</summary>
    public async Task<IReadOnlyList<AccessTokenInfo>> ListAsync(long accountId, string? scopes = null)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<AccessTokenInfo>($"""
            SELECT {Columns} FROM access_tokens
             WHERE account_id = @accountId AND (@scopes IS NULL OR scopes = @scopes) ORDER BY id
            """, new { accountId, scopes })).AsList();
    }

    /// <summary>
    /// Revokes by the token itself or by its numeric id; with <paramref name="scopes"/>, only a token
    /// with exactly these scopes. False when nothing matches.
    /// </summary>
    public async Task<bool> RevokeAsync(string tokenOrId, string? scopes = null)
    {
        await using var connection = await database.OpenAsync();
        var now = DateTimeOffset.UtcNow.ToString("O");
        const string scoped = "(@scopes IS NULL OR scopes = @scopes)";
        var rows = await connection.ExecuteAsync(
            $"UPDATE access_tokens SET revoked_at = COALESCE(revoked_at, @now) WHERE token_hash = @hash AND {scoped}",
            new { now, hash = Hash(tokenOrId), scopes });
        if (rows == 0 && long.TryParse(tokenOrId, out var id))
        {
            rows = await connection.ExecuteAsync($"UPDATE access_tokens SET revoked_at = COALESCE(revoked_at, @now) WHERE id = @id AND {scoped}",
                new { now, id, scopes });
        }
        if (rows > 0) await AnnounceRevocationAsync(now);
        return rows > 0;
    }

    /// <summary>
    /// Tokens not revoked, for the operator, newest first: at most <paramref name="limit"/>, those with an id
    /// below <paramref name="maxId"/> when given, only <paramref name="accountId"/>'s when given; with the
    /// account's name and the application's, never the secret (only its hash is stored).
    /// </summary>
    public async Task<IReadOnlyList<TokenListing>> PageAsync(int limit, long? maxId, long? accountId, CancellationToken cancellationToken = default)
    {
        var filters = "t.revoked_at IS NULL" + (maxId is null ? "" : " AND t.id < @maxId") + (accountId is null ? "" : " AND t.account_id = @accountId");
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<TokenListing>(new CommandDefinition($"""
            SELECT t.id, t.account_id AS AccountId, a.username, t.application_id AS ApplicationId, o.name AS ApplicationName, t.scopes,
                   t.created_at AS CreatedAt, t.last_used_at AS LastUsedAt
              FROM access_tokens t LEFT JOIN accounts a ON a.id = t.account_id LEFT JOIN oauth_applications o ON o.id = t.application_id
             WHERE {filters} ORDER BY t.id DESC LIMIT @limit
            """, new { limit, maxId, accountId }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>One token's row by its id, revoked or not; null when unknown.</summary>
    public async Task<AccessTokenInfo?> FindByIdAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<AccessTokenInfo>(new CommandDefinition(
            $"SELECT {Columns} FROM access_tokens WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>The token's row as stored now (not the cache), revoked or not; null when unknown.</summary>
    public async Task<AccessTokenInfo?> FindAsync(string token)
    {
        await using var connection = await database.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<AccessTokenInfo>($"SELECT {Columns} FROM access_tokens WHERE token_hash = @hash",
            new { hash = Hash(token) });
    }

    /// <summary>Revokes one token by its id (no-op when already revoked).</summary>
    public async Task RevokeByIdAsync(long id)
    {
        await using var connection = await database.OpenAsync();
        var now = DateTimeOffset.UtcNow.ToString("O");
        if (await connection.ExecuteAsync("UPDATE access_tokens SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL", new { now, id }) > 0)
            await AnnounceRevocationAsync(now);
    }

    private async Task AnnounceRevocationAsync(string now)
    {
        Interlocked.Increment(ref _revocations);
        _valid.Clear();
        await _revocationMarker.TouchAsync(now);
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
