using System.Text.Json;
using Mediary.Media;

namespace Mediary.Mastodon;

/// <summary>The Mastodon face's one error format: <c>{"error": "..."}</c> with Mastodon's exact strings.</summary>
public static class MastodonErrors
{
    public const string InvalidToken = "The access token is invalid";
    public const string RevokedToken = "The access token was revoked";
    public const string OutsideScopes = "This action is outside the authorized scopes";
    public const string TooManyRequests = "Too many requests";
    public const string Unavailable = "There was a temporary problem serving your request, please try again";

    public static IResult Error(int status, string message) => new MastodonErrorResult(status, message);

    public static IResult From(MediaException exception) => Error(exception.Kind switch
    {
        MediaErrorKind.NotFound => StatusCodes.Status404NotFound,
        MediaErrorKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
        MediaErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        // Mastodon answers 500 when processing fails on create; a file the decoders refuse is the
        // client's problem, so Mediary answers 422 with the same text.
        _ => StatusCodes.Status422UnprocessableEntity,
    }, exception.Message);

    public static Task WriteAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new { error = message }));
    }

    private sealed class MastodonErrorResult(int status, string message) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => WriteAsync(httpContext, status, message);
    }
}

/// <summary>Turns the core's errors into Mastodon responses for every endpoint of the group.</summary>
public sealed class MastodonErrorFilter(ILogger<MastodonErrorFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (MediaException e)
        {
            return MastodonErrors.From(e);
        }
        catch (Exception e) when (Web.Outages.Of(e) is { } part)
        {
            logger.LogError(e, "{Part} unavailable on {Method} {Path}", part, context.HttpContext.Request.Method, context.HttpContext.Request.Path);
            return MastodonErrors.Error(StatusCodes.Status503ServiceUnavailable, MastodonErrors.Unavailable);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Unhandled error on {Method} {Path}", context.HttpContext.Request.Method, context.HttpContext.Request.Path);
            return MastodonErrors.Error(StatusCodes.Status500InternalServerError, "Internal server error");
        }
    }
}
