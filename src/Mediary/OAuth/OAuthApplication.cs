namespace Mediary.OAuth;

/// <summary>A registered OAuth application (Doorkeeper's oauth_applications row). Its secret is only stored hashed.</summary>
/// <param name="RedirectUri">The registered redirect URIs, one per line, as Mastodon keeps them.</param>
public sealed record OAuthApplication(long Id, string Name, string ClientId, string RedirectUri, string Scopes, string? Website, string CreatedAt)
{
    public IReadOnlyList<string> ScopeList => OAuthScopes.Parse(Scopes);

    public IReadOnlyList<string> RedirectUris => OAuth.RedirectUris.Split(RedirectUri);
}
