using Mediary.RateLimits;

namespace Mediary.Mastodon;

/// <summary>
/// A Rack::Attack throttle keyed by the client's address (an IPv6 one per /64), as an endpoint
/// filter: each request counts in its fixed window, and the one past the limit gets Mastodon's 429
/// with the rate limit headers. A limit of 0 turns it off.
/// </summary>
public static class AddressThrottle
{
    /// <param name="name">The throttle's name, keeping its counts apart from the others'.</param>
    /// <param name="limits">The limit and window length in seconds, read from the options on each request.</param>
    public static TBuilder ThrottlePerAddress<TBuilder>(this TBuilder builder, string name, Func<IServiceProvider, (int Limit, int PeriodSeconds)> limits)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var (limit, period) = limits(http.RequestServices);
            if (limit == 0) return await next(context);
            var counter = http.RequestServices.GetRequiredService<FixedWindowCounter>();
            var hit = await counter.IncrementAsync($"{name}:{ClientAddress.Throttleable(http)}", period, http.RequestAborted);
            if (hit.Count <= limit) return await next(context);
            RateLimitHeaders.Set(http.Response, limit, remaining: 0, hit.Reset);
            return MastodonErrors.Error(StatusCodes.Status429TooManyRequests, MastodonErrors.TooManyRequests);
        });
}
