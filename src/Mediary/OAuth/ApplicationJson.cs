namespace Mediary.OAuth;

/// <summary>Mastodon's Application entity: REST::ApplicationSerializer, and with credentials REST::CredentialApplicationSerializer.</summary>
public static class ApplicationJson
{
    public static Dictionary<string, object?> Of(OAuthApplication application) => new()
    {
        ["id"] = application.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["name"] = application.Name,
        ["website"] = string.IsNullOrEmpty(application.Website) ? null : application.Website,
        ["scopes"] = application.ScopeList,
        ["redirect_uris"] = application.RedirectUris,
        // Deprecated since Mastodon 4.3 but still sent: the registered URIs as stored, one per line.
        ["redirect_uri"] = application.RedirectUri,
    };

    public static Dictionary<string, object?> WithCredentials(RegisteredApplication registered)
    {
        var json = Of(registered.Application);
        json["client_id"] = registered.Application.ClientId;
        json["client_secret"] = registered.ClientSecret;
        // Secrets do not expire: Mastodon sends 0 for that.
        json["client_secret_expires_at"] = 0;
        return json;
    }
}
