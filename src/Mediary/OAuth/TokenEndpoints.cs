using System.Security.Cryptography;
using System.Text;
using Mediary.Auth;
using Mediary.Mastodon;

namespace Mediary.OAuth;

/// <summary>
/// <c>POST /oauth/token</c> (the authorization_code grant, with PKCE when the authorization carried a
/// challenge, and client_credentials), <c>POST /oauth/revoke</c> (RFC 7009) and the server's metadata
/// (RFC 8414), answering as Doorkeeper does for Mastodon.
/// </summary>
public static class TokenEndpoints
{
    public static IEndpointRouteBuilder MapOAuthTokens(this IEndpointRouteBuilder app)
    {
        app.MapPost("/oauth/token", TokenAsync).DisableAntiforgery();
        app.MapPost("/oauth/revoke", RevokeAsync).DisableAntiforgery();
        app.MapGet("/.well-known/oauth-authorization-server", Metadata);
        return app;
    }

    private static async Task<IResult> TokenAsync(HttpContext http, ApplicationStore applications, GrantStore grants, TokenStore tokens,
        CancellationToken cancellationToken)
    {
        var parameters = await RequestParams.ReadAsync(http.Request, cancellationToken);
        var grantType = parameters["grant_type"];
        if (string.IsNullOrEmpty(grantType)) return OAuthError.MissingParameter("grant_type").ToResult();
        if (grantType is not ("authorization_code" or "client_credentials")) return OAuthError.UnsupportedGrantType.ToResult();

        var client = await ClientAuthentication.AuthenticateAsync(http.Request, parameters, applications, cancellationToken);
        if (client.TwoMethods) return OAuthError.InvalidRequest.ToResult();
        return grantType == "authorization_code"
            ? await ExchangeCodeAsync(parameters, client.Application, grants, tokens, cancellationToken)
            : await ClientTokenAsync(parameters, client.Application, tokens);
    }

    /// <summary>Doorkeeper's AuthorizationCodeRequest: its checks in its order, then the code is spent once.</summary>
    private static async Task<IResult> ExchangeCodeAsync(RequestParams parameters, OAuthApplication? client, GrantStore grants, TokenStore tokens,
        CancellationToken cancellationToken)
    {
        var code = parameters["code"];
        var grant = string.IsNullOrEmpty(code) ? null : await grants.FindAsync(code, cancellationToken);
        var verifier = parameters["code_verifier"];
        var redirectUri = parameters["redirect_uri"];
        if (grant?.CodeChallenge is not null && string.IsNullOrEmpty(verifier)) return OAuthError.MissingParameter("code_verifier").ToResult();
        if (string.IsNullOrEmpty(redirectUri)) return OAuthError.MissingParameter("redirect_uri").ToResult();
        if (client is null) return OAuthError.InvalidClient.ToResult();
        if (grant is null || grant.ApplicationId != client.Id) return OAuthError.InvalidGrant.ToResult();
        if (grant.RevokedAt is not null)
        {
            // A code used twice may have been stolen: the token it gave is revoked too (RFC 6749 4.1.2).
            if (grant.AccessTokenId is { } issued) await tokens.RevokeByIdAsync(issued);
            return OAuthError.InvalidGrant.ToResult();
        }
        if (grants.IsExpired(grant)) return OAuthError.InvalidGrant.ToResult();
        if (!RedirectUris.ValidForAuthorization(redirectUri, grant.RedirectUri)) return OAuthError.InvalidGrant.ToResult();
        if (!VerifierMatches(grant, verifier)) return OAuthError.InvalidGrant.ToResult();
        if (!await grants.SpendAsync(grant.Id, cancellationToken)) return OAuthError.InvalidGrant.ToResult();

        var token = await tokens.IssueAsync(grant.AccountId, client.Id, grant.Scopes);
        await grants.LinkTokenAsync(grant.Id, token.Id, cancellationToken);
        return TokenResponse(token);
    }

    /// <summary>RFC 7636 4.6: BASE64URL(SHA256(verifier)) equals the challenge; without a challenge no verifier may be sent.</summary>
    private static bool VerifierMatches(AccessGrant grant, string? verifier)
    {
        if (string.IsNullOrEmpty(verifier)) return grant.CodeChallenge is null;
        if (grant.CodeChallenge is null || grant.CodeChallengeMethod != "S256") return false;
        var computed = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(computed), Encoding.ASCII.GetBytes(grant.CodeChallenge));
    }

    /// <summary>
    /// Doorkeeper's ClientCredentialsRequest: a token of the application itself, with no user, for the scopes asked
    /// (by default the application's share of the server's default scope).
    /// </summary>
    private static async Task<IResult> ClientTokenAsync(RequestParams parameters, OAuthApplication? client, TokenStore tokens)
    {
        if (client is null) return OAuthError.InvalidClient.ToResult();
        var requested = parameters["scope"];
        var scopes = string.IsNullOrEmpty(requested)
            ? OAuthScopes.Join(client.ScopeList.Where(scope => scope == OAuthScopes.Default))
            : requested;
        if (!OAuthScopes.Permitted(scopes, client.ScopeList)) return OAuthError.InvalidScope.ToResult();
        return TokenResponse(await tokens.IssueAsync(null, client.Id, OAuthScopes.Join(OAuthScopes.Parse(scopes))));
    }

    private static IResult TokenResponse(IssuedToken token) => new OAuthJsonResult(StatusCodes.Status200OK, TokenBody(token));

    /// <summary>Doorkeeper's TokenResponse body: what the token endpoint and a sign-up answer about a new token.</summary>
    public static Dictionary<string, object?> TokenBody(IssuedToken token) => new()
    {
        ["access_token"] = token.Token,
        ["token_type"] = "Bearer",
        ["scope"] = token.Scopes,
        ["created_at"] = token.CreatedAt.ToUnixTimeSeconds(),
    };

    /// <summary>
    /// Doorkeeper's revoke: the client must authenticate (403 otherwise); an unknown token is 200, as RFC 7009 2.2 asks;
    /// a token of another application is refused. A token made on the command line belongs to no application: any
    /// authenticated client holding it may revoke it, as Doorkeeper allows for tokens without one.
    /// </summary>
    private static async Task<IResult> RevokeAsync(HttpContext http, ApplicationStore applications, TokenStore tokens, CancellationToken cancellationToken)
    {
        var parameters = await RequestParams.ReadAsync(http.Request, cancellationToken);
        var client = await ClientAuthentication.AuthenticateAsync(http.Request, parameters, applications, cancellationToken);
        if (client.Application is null) return new OAuthJsonResult(StatusCodes.Status403Forbidden, RevokeRefusal);
        var presented = parameters["token"];
        var token = string.IsNullOrEmpty(presented) ? null : await tokens.FindAsync(presented);
        if (token is null) return new OAuthJsonResult(StatusCodes.Status200OK, new Dictionary<string, object?>());
        if (token.ApplicationId is { } owner && owner != client.Application.Id) return new OAuthJsonResult(StatusCodes.Status403Forbidden, RevokeRefusal);
        await tokens.RevokeByIdAsync(token.Id);
        return new OAuthJsonResult(StatusCodes.Status200OK, new Dictionary<string, object?>());
    }

    private static readonly Dictionary<string, object?> RevokeRefusal = new()
    {
        ["error"] = OAuthError.RevokeUnauthorized.Name,
        ["error_description"] = OAuthError.RevokeUnauthorized.Description,
    };

    /// <summary>RFC 8414 metadata as Mastodon 4.3+ serves it, with the endpoints of this server.</summary>
    private static IResult Metadata(HttpRequest request)
    {
        var root = $"{request.Scheme}://{request.Host}";
        return Results.Json(new Dictionary<string, object?>
        {
            ["issuer"] = root + "/",
            ["authorization_endpoint"] = root + "/oauth/authorize",
            ["token_endpoint"] = root + "/oauth/token",
            ["revocation_endpoint"] = root + "/oauth/revoke",
            ["scopes_supported"] = OAuthScopes.Supported,
            ["response_types_supported"] = new[] { "code" },
            ["response_modes_supported"] = new[] { "query", "fragment" },
            ["grant_types_supported"] = new[] { "authorization_code", "client_credentials" },
            ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_basic", "client_secret_post" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
            ["service_documentation"] = "https://docs.joinmastodon.org/",
            ["app_registration_endpoint"] = root + "/api/v1/apps",
        }, contentType: "application/json; charset=utf-8");
    }
}
