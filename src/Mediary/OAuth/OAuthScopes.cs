namespace Mediary.OAuth;

/// <summary>
/// The scopes an OAuth application may ask for: Mastodon's list (its Doorkeeper configuration),
/// with <c>read</c> as the default. The direct face's <c>direct</c> scope is not among them, so
/// OAuth never grants it. Admin scopes are granted only to admin accounts.
/// </summary>
public static class OAuthScopes
{
    public const string Default = "read";

    public static readonly IReadOnlyList<string> Supported =
    [
        "read", "write", "profile", "follow", "push",
        "write:accounts", "write:blocks", "write:bookmarks", "write:collections", "write:conversations", "write:favourites",
        "write:filters", "write:follows", "write:lists", "write:media", "write:mutes", "write:notifications", "write:reports",
        "write:statuses",
        "read:accounts", "read:blocks", "read:bookmarks", "read:collections", "read:favourites", "read:filters", "read:follows",
        "read:lists", "read:mutes", "read:notifications", "read:search", "read:statuses",
        "admin:read", "admin:read:accounts", "admin:read:reports", "admin:read:domain_allows", "admin:read:domain_blocks",
        "admin:read:ip_blocks", "admin:read:email_domain_blocks", "admin:read:canonical_email_blocks",
        "admin:write", "admin:write:accounts", "admin:write:reports", "admin:write:domain_allows", "admin:write:domain_blocks",
        "admin:write:ip_blocks", "admin:write:email_domain_blocks", "admin:write:canonical_email_blocks",
    ];

    private static readonly HashSet<string> SupportedSet = new(Supported, StringComparer.Ordinal);

    /// <summary>A scope string as a list: split on spaces, duplicates dropped, order kept (Doorkeeper's Scopes.from_string).</summary>
    public static IReadOnlyList<string> Parse(string? scopes) =>
        (scopes ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();

    public static string Join(IEnumerable<string> scopes) => string.Join(' ', scopes);

    /// <summary>Every scope is one the server knows.</summary>
    public static bool AllSupported(IReadOnlyList<string> scopes) => scopes.All(SupportedSet.Contains);

    /// <summary>
    /// Doorkeeper's ScopeChecker: the requested scope string is present, has no tab or line break, and each of its
    /// scopes is among the application's (or, for an application without scopes, the server's).
    /// </summary>
    public static bool Permitted(string? requested, IReadOnlyList<string> applicationScopes)
    {
        if (string.IsNullOrWhiteSpace(requested) || requested.AsSpan().IndexOfAny('\n', '\r', '\t') >= 0) return false;
        var allowed = applicationScopes.Count > 0 ? applicationScopes : Supported;
        return Parse(requested).All(allowed.Contains);
    }

    public static bool IsAdminScope(string scope) => scope.StartsWith("admin:", StringComparison.Ordinal);

    /// <summary>What an account may be granted of <paramref name="scopes"/>: everything for an admin, all but admin scopes otherwise.</summary>
    public static IReadOnlyList<string> GrantableTo(bool admin, IReadOnlyList<string> scopes) =>
        admin ? scopes : scopes.Where(scope => !IsAdminScope(scope)).ToList();
}
