using Microsoft.Net.Http.Headers;

namespace Mediary.Mastodon;

public static class MastodonApiHeaders
{
    /// <summary>
    /// Mastodon's API caching rules: responses vary by token, and an authenticated response is
    /// never stored by a shared cache.
    /// </summary>
    public static IApplicationBuilder UseMastodonApiHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (context.Request.Path.StartsWithSegments("/api")) context.Response.OnStarting(AddHeaders, context);
        return next(context);
    });

    private static Task AddHeaders(object state)
    {
        var context = (HttpContext)state;
        var headers = context.Response.Headers;
        headers.Append(HeaderNames.Vary, "Authorization");
        if (context.Request.Headers.ContainsKey(HeaderNames.Authorization) && !headers.ContainsKey(HeaderNames.CacheControl))
        {
            headers.CacheControl = "private, no-store";
        }
        return Task.CompletedTask;
    }
}
