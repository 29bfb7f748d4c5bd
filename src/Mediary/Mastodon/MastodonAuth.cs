using Mediary.Auth;

namespace Mediary.Mastodon;

/// <summary>
/// Doorkeeper's bearer token check as Mastodon applies it: the token from the
/// <c>Authorization: Bearer</c> header (or an <c>access_token</c> parameter), then the scopes.
/// </summary>
public sealed class MastodonAuthFilter(TokenStore tokens, string[] scopes) : IEndpointFilter
{
    private const string AccountKey = "mediary.account_id";

    public static long AccountId(HttpContext context) => (long)context.Items[AccountKey]!;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var token = BearerToken(http.Request);
        var check = token is null ? new TokenCheck(null) : await tokens.CheckAsync(token);
        if (!check.IsValid)
        {
            var description = check.IsRevoked ? MastodonErrors.RevokedToken : MastodonErrors.InvalidToken;
            http.Response.Headers.WWWAuthenticate = $"Bearer realm=\"Doorkeeper\", error=\"invalid_token\", error_description=\"{description}\"";
            http.Response.Headers.Pragma = "no-cache";
            http.Response.Headers.CacheControl = "no-store";
            return MastodonErrors.Error(StatusCodes.Status401Unauthorized, description);
        }
        if (!check.HasAnyScope(scopes)) return MastodonErrors.Error(StatusCodes.Status403Forbidden, MastodonErrors.OutsideScopes);

        http.Items[AccountKey] = check.Token!.AccountId;
        return await next(context);
    }

    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return header[7..].Trim();
        var fromQuery = request.Query["access_token"].ToString();
        return fromQuery.Length > 0 ? fromQuery : null;
    }
}

public static class MastodonAuthExtensions
{
    /// <summary>Requires a valid token holding any one of <paramref name="scopes"/>.</summary>
    public static TBuilder RequireScopes<TBuilder>(this TBuilder builder, params string[] scopes) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory((factory, next) =>
        {
            var filter = new MastodonAuthFilter(factory.ApplicationServices.GetRequiredService<TokenStore>(), scopes);
            return context => filter.InvokeAsync(context, next);
        });
}
