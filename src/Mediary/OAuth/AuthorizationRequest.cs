namespace Mediary.OAuth;

/// <summary>
/// A request for authorization, checked as Doorkeeper's PreAuthorization checks it (in its order):
/// the client, the redirect URI it registered, the response type and mode, the scopes, PKCE's method.
/// Any failure is shown on an error page, never redirected (Mastodon keeps Doorkeeper's default), so
/// a URI the application did not register is never sent anywhere.
/// </summary>
public sealed record AuthorizationRequest(OAuthApplication Application, string RedirectUri, IReadOnlyList<string> Scopes, string? State,
    bool Fragment, string? CodeChallenge, string? CodeChallengeMethod)
{
    /// <summary>The parameters carried from the authorization URL through the consent form.</summary>
    public static readonly string[] Fields =
        ["client_id", "redirect_uri", "response_type", "response_mode", "scope", "state", "code_challenge", "code_challenge_method"];

    public sealed record Outcome(AuthorizationRequest? Request, OAuthError? Error);

    public static async Task<Outcome> ReadAsync(Func<string, string?> parameter, ApplicationStore applications, CancellationToken cancellationToken)
    {
        var clientId = parameter("client_id");
        if (string.IsNullOrEmpty(clientId)) return Fail(OAuthError.MissingParameter("client_id"));
        var application = await applications.FindByClientIdAsync(clientId, cancellationToken);
        if (application is null) return Fail(OAuthError.InvalidClient);
        var redirectUri = parameter("redirect_uri");
        if (!RedirectUris.ValidForAuthorization(redirectUri, application.RedirectUri)) return Fail(OAuthError.InvalidRedirectUri);
        var responseType = parameter("response_type");
        if (string.IsNullOrEmpty(responseType)) return Fail(OAuthError.MissingParameter("response_type"));
        if (responseType != "code") return Fail(OAuthError.UnsupportedResponseType);
        var responseMode = parameter("response_mode");
        if (!string.IsNullOrEmpty(responseMode) && responseMode is not ("query" or "fragment")) return Fail(OAuthError.UnsupportedResponseMode);
        // Without a scope, the server's default as far as the application was registered for it.
        var scope = parameter("scope");
        if (string.IsNullOrEmpty(scope)) scope = application.ScopeList.Contains(OAuthScopes.Default) ? OAuthScopes.Default : "";
        if (!OAuthScopes.Permitted(scope, application.ScopeList)) return Fail(OAuthError.InvalidScope);
        var challenge = parameter("code_challenge");
        var method = parameter("code_challenge_method");
        if (!string.IsNullOrEmpty(challenge) && method != "S256") return Fail(OAuthError.InvalidCodeChallengeMethod);
        return new Outcome(new AuthorizationRequest(application, redirectUri!, OAuthScopes.Parse(scope), parameter("state"),
            responseMode == "fragment", string.IsNullOrEmpty(challenge) ? null : challenge, string.IsNullOrEmpty(challenge) ? null : method), null);
    }

    private static Outcome Fail(OAuthError error) => new(null, error);

    /// <summary>Where the browser goes with the answer: the redirect URI with the parameters added to its query (or fragment).</summary>
    public string RedirectWith(IEnumerable<(string Name, string? Value)> answer)
    {
        var pairs = answer.Where(pair => !string.IsNullOrEmpty(pair.Value))
            .Select(pair => $"{System.Net.WebUtility.UrlEncode(pair.Name)}={System.Net.WebUtility.UrlEncode(pair.Value)}");
        var encoded = string.Join('&', pairs);
        if (Fragment) return $"{RedirectUri}#{encoded}";
        return RedirectUri.Contains('?') ? $"{RedirectUri}&{encoded}" : $"{RedirectUri}?{encoded}";
    }
}
