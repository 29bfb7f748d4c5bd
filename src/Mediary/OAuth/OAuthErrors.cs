using System.Text;

namespace Mediary.OAuth;

/// <summary>An OAuth error as Doorkeeper (5.x, with Mastodon's texts) names and describes it.</summary>
public sealed record OAuthError(string Name, string Description)
{
    /// <summary>Doorkeeper answers 401 for an unknown or unauthenticated client, 400 for everything else.</summary>
    public int Status => Name == "invalid_client" ? StatusCodes.Status401Unauthorized : StatusCodes.Status400BadRequest;

    public static OAuthError MissingParameter(string name) => new("invalid_request", $"Missing required parameter: {name}.");

    public static readonly OAuthError InvalidRequest = new("invalid_request",
        "The request is missing a required parameter, includes an unsupported parameter value, or is otherwise malformed.");

    public static readonly OAuthError InvalidClient = new("invalid_client",
        "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.");

    public static readonly OAuthError InvalidGrant = new("invalid_grant",
        "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.");

    public static readonly OAuthError UnsupportedGrantType = new("unsupported_grant_type",
        "The authorization grant type is not supported by the authorization server.");

    public static readonly OAuthError InvalidScope = new("invalid_scope", "The requested scope is invalid, unknown, or malformed.");

    public static readonly OAuthError InvalidRedirectUri = new("invalid_redirect_uri", "The redirect uri included is not valid.");

    public static readonly OAuthError AccessDenied = new("access_denied", "The resource owner or authorization server denied the request.");

    public static readonly OAuthError UnsupportedResponseType = new("unsupported_response_type",
        "The authorization server does not support this response type.");

    public static readonly OAuthError UnsupportedResponseMode = new("unsupported_response_mode",
        "The authorization server does not support this response mode.");

    public static readonly OAuthError InvalidCodeChallengeMethod = new("invalid_code_challenge_method", "The code_challenge_method must be S256.");

    public static readonly OAuthError RevokeUnauthorized = new("unauthorized_client", "You are not authorized to revoke this token");

    /// <summary>The JSON answer of the token and revocation endpoints, with Doorkeeper's headers.</summary>
    public IResult ToResult(int? status = null) => new OAuthJsonResult(status ?? Status, new Dictionary<string, object?>
    {
        ["error"] = Name,
        ["error_description"] = Description,
    }, this);
}

/// <summary>A JSON answer of an OAuth endpoint: never cached; an error also says what went wrong in WWW-Authenticate.</summary>
internal sealed class OAuthJsonResult(int status, IReadOnlyDictionary<string, object?> body, OAuthError? error = null) : IResult
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public Task ExecuteAsync(HttpContext http)
    {
        var headers = http.Response.Headers;
        headers.CacheControl = "no-store, no-cache";
        headers.Pragma = "no-cache";
        if (error is not null)
            headers.WWWAuthenticate = $"Bearer realm=\"Doorkeeper\", error=\"{HeaderSafe(error.Name)}\", error_description=\"{HeaderSafe(error.Description)}\"";
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(body, Json, "application/json; charset=utf-8");
    }

    /// <summary>RFC 6750 3: error values hold only %x20-21 / %x23-5B / %x5D-7E; anything else becomes '_'.</summary>
    private static string HeaderSafe(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var c in value) text.Append(c is (>= ' ' and <= '!') or (>= '#' and <= '[') or (>= ']' and <= '~') ? c : '_');
        return text.ToString();
    }
}
