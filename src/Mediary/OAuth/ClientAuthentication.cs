using System.Text;
using Mediary.Mastodon;

namespace Mediary.OAuth;

/// <summary>
/// RFC 6749 2.3.1: a client proves itself with its id and secret, in HTTP Basic or in the body
/// (client_secret_basic, client_secret_post), never both. Mastodon's applications are all confidential:
/// an id without its secret authenticates nothing.
/// </summary>
public static class ClientAuthentication
{
    /// <summary>What the client presented: its application, nothing valid, or credentials in two places at once.</summary>
    public sealed record Outcome(OAuthApplication? Application, bool TwoMethods = false);

    public static async Task<Outcome> AuthenticateAsync(HttpRequest request, RequestParams parameters, ApplicationStore applications,
        CancellationToken cancellationToken)
    {
        var basic = FromBasic(request.Headers.Authorization.ToString());
        var postedSecret = parameters["client_secret"];
        if (basic is not null && !string.IsNullOrEmpty(postedSecret)) return new Outcome(null, TwoMethods: true);
        var (clientId, secret) = basic ?? (parameters["client_id"], postedSecret);
        if (string.IsNullOrEmpty(clientId) || string.IsNullOrEmpty(secret)) return new Outcome(null);
        return new Outcome(await applications.AuthenticateAsync(clientId, secret, cancellationToken));
    }

    private static (string? Id, string? Secret)? FromBasic(string header)
    {
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return null;
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            var colon = decoded.IndexOf(':');
            if (colon < 0) return (Uri.UnescapeDataString(decoded), null);
            // The id and secret are form-urlencoded before they are joined (RFC 6749 2.3.1).
            return (Uri.UnescapeDataString(decoded[..colon].Replace('+', ' ')), Uri.UnescapeDataString(decoded[(colon + 1)..].Replace('+', ' ')));
        }
        catch (FormatException)
        {
            return (null, null);
        }
    }
}
