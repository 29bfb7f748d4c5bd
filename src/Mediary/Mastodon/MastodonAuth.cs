using Mediary.Auth;

namespace Mediary.Mastodon;

/// <summary>
/// Doorkeeper's bearer token check as Mastodon applies it: the token from the
/// <c>Authorization: Bearer</c> header (or an <c>access_token</c> parameter), then the scopes.
/// </summary>
/// <param name="requireUser">
/// Mastodon's <c>require_user!</c>: an application's own token (from client_credentials, no user)
/// is refused with 422. Without it, the endpoint takes both and reads <see cref="Token"/>.
/// </param>
public sealed class MastodonAuthFilter(TokenStore tokens, string[] scopes, bool requireUser = true) : IEndpointFilter
{
    private const string TokenKey = "mediary.token";

    /// <summary>The signed-in user's account id, on an endpoint that requires a user.</summary>
    public static long AccountId(HttpContext context) => Token(context).AccountId!.Value;

    /// <summary>The token the request was admitted with.</summary>
    public static AccessTokenInfo Token(HttpContext context) => (AccessTokenInfo)context.Items[TokenKey]!;

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
        if (scopes.Length > 0 && !check.HasAnyScope(scopes)) return MastodonErrors.Error(StatusCodes.Status403Forbidden, MastodonErrors.OutsideScopes);
        if (requireUser && check.Token!.AccountId is null)
            return MastodonErrors.Error(StatusCodes.Status422UnprocessableEntity, MastodonErrors.RequiresUser);

        http.Items[TokenKey] = check.Token;
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
    /// <summary>Requires a valid user's token holding any one of <paramref name="scopes"/>.</summary>
    public static TBuilder RequireScopes<TBuilder>(this TBuilder builder, params string[] scopes) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireToken(requireUser: true, scopes);

    /// <summary>Requires a valid token, a user's or an application's own, holding any one of <paramref name="scopes"/> (with none listed, any valid token).</summary>
    public static TBuilder RequireAnyToken<TBuilder>(this TBuilder builder, params string[] scopes) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireToken(requireUser: false, scopes);

    private static TBuilder RequireToken<TBuilder>(this TBuilder builder, bool requireUser, string[] scopes) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory((factory, next) =>
        {
            var filter = new MastodonAuthFilter(factory.ApplicationServices.GetRequiredService<TokenStore>(), scopes, requireUser);
            return context => filter.InvokeAsync(context, next);
        });
}
