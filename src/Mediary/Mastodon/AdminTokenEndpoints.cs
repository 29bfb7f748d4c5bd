using System.Globalization;
using Mediary.Auth;
using Mediary.Direct;
using Mediary.Media;
using Mediary.OAuth;
using Mediary.Web;

namespace Mediary.Mastodon;

/// <summary>
/// The admin API's tokens (Mastodon face tokens and the direct face's API keys, which are tokens of
/// scope <c>direct</c>): listed without their secrets (only a hash is stored), created for an account
/// with the secret answered once, revoked at once (the next request with it answers 401).
/// </summary>
public static class AdminTokenEndpoints
{
    public static RouteGroupBuilder MapAdminTokens(this RouteGroupBuilder admin)
    {
        admin.Needing("admin:read", "admin:read:accounts").MapGet("/tokens", async (HttpContext http, TokenStore tokens, MediaUrls urls,
            CancellationToken ct) =>
        {
            var (limit, maxId) = AdminEndpoints.Page(http.Request);
            var asked = http.Request.Query["account_id"].ToString();
            long? accountId = null;
            if (asked.Length > 0)
            {
                if (!AdminEndpoints.TryId(asked, out var id)) throw MediaException.NotFound();
                accountId = id;
            }
            var page = await tokens.PageAsync(limit, maxId, accountId, ct);
            if (page.Count == limit) AdminEndpoints.LinkNext(http, urls, "/tokens", limit, page[^1].Id, accountId is null ? null : $"account_id={accountId}");
            return AdminEndpoints.Json(page.Select(token => Json(token)));
        });

        var write = admin.Needing("admin:write", "admin:write:accounts");
        write.MapPost("/tokens", async (HttpContext http, TokenStore tokens, AccountStore accounts, CancellationToken ct) =>
        {
            var parameters = await RequestParams.ReadAsync(http.Request, ct);
            Account? account;
            if (parameters["account_id"] is { Length: > 0 } id)
                account = AdminEndpoints.TryId(id, out var accountId) ? await accounts.FindAsync(accountId) : null;
            else if (parameters["username"] is { Length: > 0 } username) account = await accounts.FindAsync(username);
            else return AdminEndpoints.Invalid("Validation failed: Account is required: give account_id or username");
            if (account is null) throw MediaException.NotFound();

            var scopes = ScopesOf(parameters);
            if (Problem(scopes, account) is { } problem) return AdminEndpoints.Invalid("Validation failed: " + problem);
            var issued = await tokens.IssueAsync(account.Id, null, OAuthScopes.Join(scopes));
            var json = Json(new TokenListing(issued.Id, account.Id, account.Username, null, null, issued.Scopes, issued.CreatedAt.ToString("O"), null));
            json["access_token"] = issued.Token;
            return AdminEndpoints.Json(json);
        });

        write.MapDelete("/tokens/{id}", async (string id, TokenStore tokens, CancellationToken ct) =>
        {
            if (!AdminEndpoints.TryId(id, out var tokenId) || await tokens.FindByIdAsync(tokenId, ct) is null) throw MediaException.NotFound();
            await tokens.RevokeByIdAsync(tokenId);
            return AdminEndpoints.Empty();
        });
        return admin;
    }

    /// <summary><c>scopes</c> as one space-separated string or a list (<c>scopes[]</c>, a JSON array); Mastodon's default <c>read</c> when absent.</summary>
    private static IReadOnlyList<string> ScopesOf(RequestParams parameters)
    {
        var given = parameters.List("scopes") ?? parameters.List("scope");
        var scopes = OAuthScopes.Parse(string.Join(' ', given ?? []));
        return scopes.Count > 0 ? scopes : [OAuthScopes.Default];
    }

    private static string? Problem(IReadOnlyList<string> scopes, Account account)
    {
        if (scopes.Contains(DirectApiMiddleware.KeyScope))
            return scopes.Count == 1 ? null : $"Scope {DirectApiMiddleware.KeyScope} (an API key of the direct face) is given alone";
        if (scopes.FirstOrDefault(scope => !OAuthScopes.AllSupported([scope])) is { } unknown) return $"Scope {unknown} is not one this server knows";
        if (!account.Admin && scopes.Any(OAuthScopes.IsAdminScope)) return "Admin scopes are granted only to accounts that are admins";
        return null;
    }

    public static Dictionary<string, object?> Json(TokenListing token) => new()
    {
        ["id"] = token.Id.ToString(CultureInfo.InvariantCulture),
        ["account_id"] = token.AccountId?.ToString(CultureInfo.InvariantCulture),
        ["username"] = token.Username,
        ["application"] = token.ApplicationName,
        ["scopes"] = OAuthScopes.Parse(token.Scopes),
        ["created_at"] = AdminEndpoints.Time(token.CreatedAt),
        ["last_used_at"] = AdminEndpoints.Time(token.LastUsedAt),
    };
}
