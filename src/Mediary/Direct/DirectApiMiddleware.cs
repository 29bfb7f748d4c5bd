using Mediary.Auth;
using Mediary.Media;
using Microsoft.Net.Http.Headers;

namespace Mediary.Direct;

/// <summary>
/// Everything under <c>/v1</c> passes here once: the API key and the rate limits
/// (except on step 2's signed upload URLs, which carry no key), and the one mapping of every
/// failure, including the framework's own 404, 405 and 413, to the envelope.
/// </summary>
public sealed class DirectApiMiddleware(RequestDelegate next, TokenStore tokens, DirectRateLimiter limiter, Telemetry.OutageMetrics outages,
    ILogger<DirectApiMiddleware> logger)
{
    /// <summary>The scope that makes an access token a direct API key.</summary>
    public const string KeyScope = "direct";

    private const string AccountKey = "mediary.direct.account_id";

    public static long AccountId(HttpContext http) => (long)http.Items[AccountKey]!;

    public static bool IsUploadUrl(PathString path) => path.StartsWithSegments("/v1/uploads");

    public async Task InvokeAsync(HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-store";
        try
        {
            if (!IsUploadUrl(http.Request.Path) && !await AdmitAsync(http)) return;
            await next(http);
            if (!http.Response.HasStarted && http.Response.StatusCode >= 400)
            {
                var (code, message) = DirectErrorCodes.ForBareStatus(http.Response.StatusCode);
                await DirectEnvelope.WriteErrorAsync(http, http.Response.StatusCode, code, message);
            }
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody is left to answer.
        }
        catch (Exception e) when (!http.Response.HasStarted)
        {
            outages.Count(e, "request");
            var error = Translate(e);
            if (error.Status >= 500) logger.LogError(e, "Direct API request {RequestId} failed", DirectEnvelope.RequestId(http));
            await DirectEnvelope.WriteErrorAsync(http, error);
        }
    }

    /// <summary>Checks the key and counts the request; false when the answer (401 or 429) was already written.</summary>
    private async Task<bool> AdmitAsync(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        var key = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
        var check = string.IsNullOrEmpty(key) ? new TokenCheck(null) : await tokens.CheckAsync(key);
        if (!check.IsValid || !check.HasAnyScope(KeyScope) || check.Token!.AccountId is null)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            var message = key is null
                ? "An API key is required: send Authorization: Bearer <key>."
                : check.IsRevoked ? "This API key has been revoked." : "This API key is not valid.";
            await DirectEnvelope.WriteErrorAsync(http, StatusCodes.Status401Unauthorized, DirectErrorCodes.AuthenticationFailed, message);
            return false;
        }

        var isPost = HttpMethods.IsPost(http.Request.Method) && http.Request.Path.Equals("/v1/posts", StringComparison.OrdinalIgnoreCase);
        var decision = await limiter.HitAsync(check.Token!.Id, isPost, http.RequestAborted);
        if (decision is not null)
        {
            var headers = http.Response.Headers;
            headers["X-RateLimit-Limit"] = decision.Limit.ToString();
            headers["X-RateLimit-Remaining"] = decision.Remaining.ToString();
            headers["X-RateLimit-Reset"] = decision.ResetUnixSeconds.ToString();
            if (!decision.Allowed)
            {
                headers[HeaderNames.RetryAfter] = decision.RetryAfterSeconds.ToString();
                await DirectEnvelope.WriteErrorAsync(http, StatusCodes.Status429TooManyRequests, DirectErrorCodes.RateLimitExceeded,
                    $"Rate limit exceeded: at most {decision.Limit} requests in this window. Retry after {decision.RetryAfterSeconds} seconds.");
                return false;
            }
        }
        http.Items[AccountKey] = check.Token.AccountId.Value;
        return true;
    }

    private static DirectApiException Translate(Exception e) => Web.Outages.Of(e) switch
    {
        Web.Outages.Part.Storage =>
            new DirectApiException(DirectErrorCodes.ServiceUnavailable, "Media storage is unavailable right now; try again shortly."),
        Web.Outages.Part.Database =>
            new DirectApiException(DirectErrorCodes.ServiceUnavailable, "The database is unavailable right now; try again shortly."),
        Web.Outages.Part.Processing =>
            new DirectApiException(DirectErrorCodes.ServiceUnavailable, "Media processing is busy right now; try again shortly."),
        _ => TranslateFault(e),
    };

    private static DirectApiException TranslateFault(Exception e) => e switch
    {
        DirectApiException direct => direct,
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
            new DirectApiException(DirectErrorCodes.PayloadTooLarge, "The request body is larger than this endpoint accepts."),
        BadHttpRequestException => new DirectApiException(DirectErrorCodes.ValidationError, "The request could not be read."),
        MediaException { Kind: MediaErrorKind.Unavailable } =>
            new DirectApiException(DirectErrorCodes.ServiceUnavailable, "Media processing is temporarily unavailable; try again shortly."),
        MediaException { Kind: MediaErrorKind.TooLarge } => new DirectApiException(DirectErrorCodes.PayloadTooLarge, e.Message),
        MediaException { Kind: MediaErrorKind.NotFound } => DirectApiException.NotFound(),
        MediaException { Kind: MediaErrorKind.QuotaExceeded } => DirectApiException.QuotaExceeded(e.Message),
        MediaException media => new DirectApiException(DirectErrorCodes.ValidationError, media.Message),
        _ => new DirectApiException(DirectErrorCodes.InternalError,
            "Something went wrong on our side; try again, and report the request_id if it persists."),
    };
}
