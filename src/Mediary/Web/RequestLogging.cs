using System.Diagnostics;

namespace Mediary.Web;

/// <summary>
/// Every request gets an id, sent back as <c>X-Request-Id</c> (the direct API's envelope repeats
/// it), carried by every log line written while it is served, and one summary line at the end:
/// method, path, status and duration, at Information for writes and failures and at Debug for
/// successful reads (GET, HEAD). Tokens and query strings (signed upload URLs) are not logged.
/// </summary>
public static class RequestLogging
{
    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("Mediary.Requests");
        return app.Use(async (http, next) =>
        {
            var id = RequestIds.Next();
            http.TraceIdentifier = id;
            http.Response.Headers["X-Request-Id"] = id;
            var started = Stopwatch.GetTimestamp();
            using (logger.BeginScope(new RequestScope(id)))
            {
                try
                {
                    await next(http);
                }
                finally
                {
                    // What polling clients send most (a successful read) is logged at Debug; writes and
                    // failures at Information. A line below the configured level costs no formatting.
                    var level = IsSuccessfulRead(http) ? LogLevel.Debug : LogLevel.Information;
                    if (logger.IsEnabled(level))
                    {
                        logger.Log(level, "{Method} {Path} answered {Status} in {Milliseconds:0.0} ms (request {RequestId})",
                            http.Request.Method, http.Request.Path.Value, http.Response.StatusCode,
                            Stopwatch.GetElapsedTime(started).TotalMilliseconds, id);
                    }
                }
            }
        });
    }

    private static bool IsSuccessfulRead(HttpContext http) =>
        (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)) && http.Response.StatusCode < 400;
}

/// <summary>The log scope of a request: its id, as the one pair <c>RequestId</c> (no dictionary per request).</summary>
internal sealed class RequestScope(string id) : IReadOnlyList<KeyValuePair<string, object>>
{
    public KeyValuePair<string, object> this[int index] =>
        index == 0 ? new("RequestId", id) : throw new ArgumentOutOfRangeException(nameof(index));

    public int Count => 1;

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
    {
        yield return this[0];
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => "RequestId:" + id;
}

/// <summary>
/// Request ids: 32 hex digits, a random prefix drawn once per process and a counter, so they are
/// unique across processes and restarts without asking the system for randomness on every request.
/// </summary>
internal static class RequestIds
{
    private static readonly string Prefix = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
    private static long _counter = Random.Shared.NextInt64(0, long.MaxValue / 2);

    public static string Next() => string.Create(32, Interlocked.Increment(ref _counter), static (span, count) =>
    {
        Prefix.AsSpan().CopyTo(span);
        count.TryFormat(span[16..], out _, "x16");
    });
}
