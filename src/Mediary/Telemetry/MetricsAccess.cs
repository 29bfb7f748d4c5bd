using System.Security.Cryptography;
using System.Text;

namespace Mediary.Telemetry;

/// <summary>
/// Who may scrape <c>/metrics</c>: with <see cref="MetricsOptions.Port"/>, only connections to that
/// local port (the public port answers 404, as if there were no endpoint); with
/// <see cref="MetricsOptions.Token"/>, only requests bearing it (401 otherwise). The numbers tell
/// an outsider how busy the server is and which routes exist, so they are not for the public.
/// </summary>
internal static class MetricsAccess
{
    public static Func<HttpContext, RequestDelegate, Task> For(MetricsOptions options)
    {
        var expected = options.Token is { Length: > 0 } token ? Encoding.UTF8.GetBytes("Bearer " + token) : null;
        return (http, next) =>
        {
            if (options.Port is { } port && http.Connection.LocalPort != port)
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }
            if (expected is not null && !CryptographicOperations.FixedTimeEquals(
                    Encoding.UTF8.GetBytes(http.Request.Headers.Authorization.ToString()), expected))
            {
                http.Response.StatusCode = StatusCodes.Status401Unauthorized;
                http.Response.Headers.WWWAuthenticate = "Bearer";
                return Task.CompletedTask;
            }
            return next(http);
        };
    }
}
