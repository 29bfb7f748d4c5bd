using System.Security.Cryptography;
using System.Text;
using Dapper;
using Mediary.Data;

namespace Mediary.OAuth;

/// <summary>An application just registered, with its secret in the clear: shown once, then only its hash is kept.</summary>
public sealed record RegisteredApplication(OAuthApplication Application, string ClientSecret);

public sealed class ApplicationStore(IDatabase database, TimeProvider time)
{
    private const string Columns = "id, name, client_id AS ClientId, redirect_uri AS RedirectUri, scopes, website, created_at AS CreatedAt";

    public async Task<RegisteredApplication> CreateAsync(string name, string redirectUri, string scopes, string? website, CancellationToken cancellationToken)
    {
        var application = new OAuthApplication(SnowflakeId.Next(), name, Secrets.New(), redirectUri, scopes, website, time.GetUtcNow().ToString("O"));
        var secret = Secrets.New();
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO oauth_applications (id, name, client_id, secret_hash, redirect_uri, scopes, website, created_at)
            VALUES (@Id, @Name, @ClientId, @secretHash, @RedirectUri, @Scopes, @Website, @CreatedAt)
            """, new
        {
            application.Id,
            application.Name,
            application.ClientId,
            secretHash = Secrets.Hash(secret),
            application.RedirectUri,
            application.Scopes,
            application.Website,
            application.CreatedAt
        }, cancellationToken: cancellationToken));
        return new RegisteredApplication(application, secret);
    }

    public async Task<OAuthApplication?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<OAuthApplication>(new CommandDefinition(
            $"SELECT {Columns} FROM oauth_applications WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    public async Task<OAuthApplication?> FindByClientIdAsync(string clientId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<OAuthApplication>(new CommandDefinition(
            $"SELECT {Columns} FROM oauth_applications WHERE client_id = @clientId", new { clientId }, cancellationToken: cancellationToken));
    }

    /// <summary>The application whose id and secret these are; null when either is wrong (compared in constant time).</summary>
    public async Task<OAuthApplication?> AuthenticateAsync(string clientId, string clientSecret, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(long Id, string SecretHash)>(new CommandDefinition(
            "SELECT id, secret_hash FROM oauth_applications WHERE client_id = @clientId", new { clientId }, cancellationToken: cancellationToken));
        var matches = row.SecretHash is not null && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(row.SecretHash), Encoding.ASCII.GetBytes(Secrets.Hash(clientSecret)));
        return matches ? await FindAsync(row.Id, cancellationToken) : null;
    }
}

/// <summary>Random secrets (client ids and secrets, authorization codes) and the hashes that are stored instead of them.</summary>
public static class Secrets
{
    /// <summary>256 random bits, base64url without padding (43 characters).</summary>
    public static string New() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
