using System.Globalization;

namespace Mediary.Mastodon;

/// <summary>The <c>X-RateLimit-*</c> headers as Mastodon's throttled responder writes them.</summary>
public static class RateLimitHeaders
{
    public static void Set(HttpResponse response, int limit, long remaining, DateTimeOffset reset)
    {
        response.Headers["X-RateLimit-Limit"] = limit.ToString(CultureInfo.InvariantCulture);
        response.Headers["X-RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
        // Ruby's Time#iso8601(6) in UTC: microseconds, truncated, and a Z.
        response.Headers["X-RateLimit-Reset"] = reset.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
    }
}
