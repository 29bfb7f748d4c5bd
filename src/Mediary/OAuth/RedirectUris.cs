using System.Net;

namespace Mediary.OAuth;

/// <summary>
/// An application's redirect URIs: checked when it registers (Doorkeeper's RedirectUriValidator as
/// Mastodon configures it) and matched when it asks for authorization (Doorkeeper's URIChecker).
/// </summary>
public static class RedirectUris
{
    /// <summary>The out-of-band URI: the code is shown to the user on a page instead of being sent anywhere.</summary>
    public const string OutOfBand = "urn:ietf:wg:oauth:2.0:oob";

    public static bool IsOutOfBand(string uri) => uri == OutOfBand;

    /// <summary>Whitespace-separated URIs, as Doorkeeper stores them one per line.</summary>
    public static IReadOnlyList<string> Split(string uris) => uris.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// The problems of one registered URI, as the error keys Doorkeeper adds: an empty list when it is acceptable.
    /// Mastodon forbids the data, vbscript and javascript schemes and allows plain http.
    /// </summary>
    public static IReadOnlyList<string> Problems(string uri)
    {
        if (IsOutOfBand(uri)) return [];
        if (!TryParse(uri, out var parsed)) return ["invalid_uri"];
        var problems = new List<string>();
        if (parsed.Scheme is "data" or "vbscript" or "javascript") problems.Add("forbidden_uri");
        if (parsed.Fragment is not null) problems.Add("fragment_present");
        if (parsed.Opaque || parsed.Scheme == "localhost") problems.Add("unspecified_scheme");
        if (parsed.Scheme is null && parsed.Host.Length == 0) problems.Add("relative_uri");
        if (parsed.Scheme is "http" or "https" && parsed.Host.Length == 0) problems.Add("invalid_uri");
        return problems;
    }

    /// <summary>Doorkeeper's URIChecker.valid_for_authorization?: a well-formed URI that matches one of the registered ones.</summary>
    public static bool ValidForAuthorization(string? uri, string registered)
    {
        if (string.IsNullOrEmpty(uri) || !Valid(uri)) return false;
        return Split(registered).Any(candidate => Matches(uri, candidate));
    }

    private static bool Valid(string uri)
    {
        if (IsOutOfBand(uri)) return true;
        if (!TryParse(uri, out var parsed) || string.IsNullOrEmpty(parsed.Scheme) || parsed.Scheme == "localhost") return false;
        if (parsed.Scheme is "http" or "https" && parsed.Host.Length == 0) return false;
        return parsed.Fragment is null && !parsed.Opaque;
    }

    /// <summary>
    /// Equal as URIs, except that a registered query's parameters may come in any order, the port of a loopback
    /// address is free (RFC 8252 7.3: native apps listen on a port they pick), and a query the registered URI does
    /// not have is ignored, as Doorkeeper does.
    /// </summary>
    private static bool Matches(string uri, string registered)
    {
        if (IsOutOfBand(uri) || IsOutOfBand(registered)) return uri == registered;
        if (!TryParse(uri, out var asked) || !TryParse(registered, out var allowed)) return false;
        if (allowed.Query is not null && !QueryMatches(asked.Query, allowed.Query)) return false;
        var loopback = IsLoopback(asked.Host) && IsLoopback(allowed.Host);
        return asked.Scheme == allowed.Scheme && asked.UserInfo == allowed.UserInfo && asked.Host == allowed.Host &&
               (loopback || asked.Port == allowed.Port) && asked.Path == allowed.Path;
    }

    private static bool QueryMatches(string? query, string registered)
    {
        if (registered.Length == 0 && string.IsNullOrEmpty(query)) return true;
        if (query is null) return false;
        return query.Split('&').Order(StringComparer.Ordinal).SequenceEqual(registered.Split('&').Order(StringComparer.Ordinal));
    }

    private static bool IsLoopback(string host) =>
        IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);

    /// <summary>A URI split as RFC 3986 does (Ruby's URI.parse), without .NET's normalisation of unknown schemes.</summary>
    private sealed record ParsedUri(string? Scheme, bool Opaque, string UserInfo, string Host, string? Port, string Path, string? Query, string? Fragment);

    private static bool TryParse(string uri, out ParsedUri parsed)
    {
        parsed = null!;
        if (uri.Length == 0 || uri.Any(c => c <= ' ' || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`' || c == '{' || c == '|' || c == '}' || c > '~'))
            return false;
        var rest = uri;
        string? fragment = null, query = null, scheme = null;
        var hash = rest.IndexOf('#');
        if (hash >= 0) { fragment = rest[(hash + 1)..]; rest = rest[..hash]; }
        var question = rest.IndexOf('?');
        if (question >= 0) { query = rest[(question + 1)..]; rest = rest[..question]; }
        var colon = rest.IndexOf(':');
        var slash = rest.IndexOf('/');
        if (colon > 0 && (slash < 0 || colon < slash))
        {
            scheme = rest[..colon];
            if (!char.IsAsciiLetter(scheme[0]) || !scheme.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.')) return false;
            scheme = scheme.ToLowerInvariant();
            rest = rest[(colon + 1)..];
        }
        string userInfo = "", host = "";
        string? port = null;
        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            rest = rest[2..];
            var end = rest.IndexOf('/');
            var authority = end < 0 ? rest : rest[..end];
            rest = end < 0 ? "" : rest[end..];
            var at = authority.LastIndexOf('@');
            if (at >= 0) { userInfo = authority[..at]; authority = authority[(at + 1)..]; }
            var portColon = authority.StartsWith('[') ? authority.IndexOf("]:", StringComparison.Ordinal) + 1 : authority.LastIndexOf(':');
            if (portColon > 0)
            {
                port = authority[(portColon + 1)..];
                authority = authority[..portColon];
                if (!port.All(char.IsAsciiDigit)) return false;
            }
            host = authority.ToLowerInvariant();
        }
        else if (scheme is not null && rest.Length > 0 && rest[0] != '/')
        {
            // "mailto:x", "app:callback": a URI with no hierarchy (Ruby's opaque part).
            parsed = new ParsedUri(scheme, Opaque: true, "", "", null, rest, query, fragment);
            return true;
        }
        parsed = new ParsedUri(scheme, Opaque: false, userInfo, host, port, rest, query, fragment);
        return true;
    }
}
