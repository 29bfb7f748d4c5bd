using Dapper;
using Mediary.Data;
using Microsoft.Extensions.Options;

namespace Mediary.OAuth;

/// <summary>An authorization code's record (Doorkeeper's oauth_access_grants row).</summary>
public sealed record AccessGrant(long Id, long ApplicationId, long AccountId, string RedirectUri, string Scopes, string? CodeChallenge,
    string? CodeChallengeMethod, long ExpiresAt, string? RevokedAt, long? AccessTokenId);

/// <summary>
/// Authorization codes: short-lived (<c>OAuth:AuthorizationCodeLifetimeSeconds</c>), single-use, stored
/// only as a hash. A code is spent by one atomic update, so two exchanges of one code cannot both win.
/// </summary>
public sealed class GrantStore(IDatabase database, TimeProvider time, IOptions<OAuthOptions> options)
{
    private const string Columns = """
        id, application_id AS ApplicationId, account_id AS AccountId, redirect_uri AS RedirectUri, scopes,
        code_challenge AS CodeChallenge, code_challenge_method AS CodeChallengeMethod, expires_at AS ExpiresAt,
        revoked_at AS RevokedAt, access_token_id AS AccessTokenId
        """;

    /// <summary>Issues a code; returns it in the clear, once.</summary>
    public async Task<string> CreateAsync(long applicationId, long accountId, string redirectUri, string scopes, string? codeChallenge,
        string? codeChallengeMethod, CancellationToken cancellationToken)
    {
        var code = Secrets.New();
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO oauth_access_grants (id, application_id, account_id, code_hash, redirect_uri, scopes, code_challenge,
                code_challenge_method, expires_at, created_at)
            VALUES (@id, @applicationId, @accountId, @hash, @redirectUri, @scopes, @codeChallenge, @codeChallengeMethod, @expiresAt, @createdAt)
            """, new
        {
            id = SnowflakeId.Next(),
            applicationId,
            accountId,
            hash = Secrets.Hash(code),
            redirectUri,
            scopes,
            codeChallenge = string.IsNullOrEmpty(codeChallenge) ? null : codeChallenge,
            codeChallengeMethod = string.IsNullOrEmpty(codeChallenge) ? null : codeChallengeMethod,
            expiresAt = now.ToUnixTimeSeconds() + options.Value.AuthorizationCodeLifetimeSeconds,
            createdAt = now.ToString("O"),
        }, cancellationToken: cancellationToken));
        // Spent and expired codes are of no use to anyone: sweep those a day old while we are here.
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM oauth_access_grants WHERE expires_at < @before",
            new { before = now.ToUnixTimeSeconds() - 86_400 }, cancellationToken: cancellationToken));
        return code;
    }

    public async Task<AccessGrant?> FindAsync(string code, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<AccessGrant>(new CommandDefinition(
            $"SELECT {Columns} FROM oauth_access_grants WHERE code_hash = @hash", new { hash = Secrets.Hash(code) }, cancellationToken: cancellationToken));
    }

    public bool IsExpired(AccessGrant grant) => grant.ExpiresAt <= time.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>Marks the code used; false when another exchange spent it first.</summary>
    public async Task<bool> SpendAsync(long grantId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE oauth_access_grants SET revoked_at = @now WHERE id = @grantId AND revoked_at IS NULL",
            new { now = time.GetUtcNow().ToString("O"), grantId }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Remembers which token a code was exchanged for, so a replay of the code can revoke it (RFC 6749 4.1.2).</summary>
    public async Task LinkTokenAsync(long grantId, long tokenId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("UPDATE oauth_access_grants SET access_token_id = @tokenId WHERE id = @grantId",
            new { tokenId, grantId }, cancellationToken: cancellationToken));
    }
}
