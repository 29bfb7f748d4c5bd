using Mediary.RateLimits;
using Microsoft.Extensions.Options;

namespace Mediary.Mastodon;

/// <summary>
/// Mastodon's <c>throttle_api_media</c> on the upload routes: each upload counts against its
/// account's fixed window, failed ones included. It runs after the token check (no valid token,
/// no count) and before the body is read, so a throttled upload is refused without reading its bytes.
/// </summary>
public sealed class MediaUploadThrottle(FixedWindowCounter counter, IOptions<RateLimitOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var limit = options.Value.MediaUploadLimit;
        if (limit == 0) return await next(context);

        var http = context.HttpContext;
        var hit = await counter.IncrementAsync($"media_upload:{MastodonAuthFilter.AccountId(http)}", options.Value.MediaUploadPeriodSeconds,
            http.RequestAborted);
        // Rack::Attack: a request is throttled when count > limit, so the 31st upload of a window is refused.
        if (hit.Count > limit)
        {
            RateLimitHeaders.Set(http.Response, limit, remaining: 0, hit.Reset);
            return MastodonErrors.Error(StatusCodes.Status429TooManyRequests, MastodonErrors.TooManyRequests);
        }

        // Mastodon sets these in an after_action, which an error rescued by the controller skips:
        // only successful responses carry them.
        http.Response.OnStarting(() =>
        {
            if (http.Response.StatusCode < 400) RateLimitHeaders.Set(http.Response, limit, limit - hit.Count, hit.Reset);
            return Task.CompletedTask;
        });
        return await next(context);
    }
}
