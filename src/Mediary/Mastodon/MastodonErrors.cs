using System.Text.Json;
using Mediary.Media;
using Mediary.Web;
using Microsoft.AspNetCore.Diagnostics;

namespace Mediary.Mastodon;

/// <summary>
/// The Mastodon face's one error format, <c>{"error": "..."}</c> with Mastodon's exact strings, and
/// the one mapping of a failure to it: used by the endpoints' filter and by the exception handler
/// that answers whatever escapes elsewhere (the media files, the fallbacks).
/// </summary>
public static class MastodonErrors
{
    public const string InvalidToken = "The access token is invalid";
    public const string RevokedToken = "The access token was revoked";
    public const string OutsideScopes = "This action is outside the authorized scopes";
    public const string RequiresUser = "This method requires an authenticated user";
    public const string TooManyRequests = "Too many requests";
    public const string Unavailable = "There was a temporary problem serving your request, please try again";
    public const string NotFound = "Record not found";
    public const string BadRequest = "Bad Request";
    public const string Internal = "Internal server error";

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

    /// <summary>
    /// The answer to a failure that escaped an endpoint, logged as what it is: the service's
    /// trouble (an outage, a bug) at error level, the client's (a body cut short, a client gone)
    /// at information level.
    /// </summary>
    public static IResult ForFailure(Exception failure, HttpContext http, ILogger logger)
    {
        var request = http.Request;
        switch (failure)
        {
            case MediaException media:
                return From(media);
            case BadHttpRequestException bad:
                logger.LogInformation("Bad request body on {Method} {Path}: {Reason}", request.Method, request.Path, bad.Message);
                return bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                    ? From(MediaException.TooLarge())
                    : Error(StatusCodes.Status400BadRequest, BadRequest);
            case IOException when http.RequestAborted.IsCancellationRequested:
                logger.LogInformation("The client went away during {Method} {Path}", request.Method, request.Path);
                return Error(StatusCodes.Status400BadRequest, BadRequest);
        }
        var outages = http.RequestServices.GetService<Telemetry.OutageMetrics>();
        if ((outages?.Count(failure, "request") ?? Outages.Of(failure)) is { } part)
        {
            logger.LogError(failure, "{Part} unavailable on {Method} {Path}", part, request.Method, request.Path);
            return Error(StatusCodes.Status503ServiceUnavailable, Unavailable);
        }
        logger.LogError(failure, "Unhandled error on {Method} {Path}", request.Method, request.Path);
        return Error(StatusCodes.Status500InternalServerError, Internal);
    }

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

/// <summary>Turns every failure of the group's endpoints into a Mastodon response.</summary>
public sealed class MastodonErrorFilter(ILogger<MastodonErrorFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return MastodonErrors.ForFailure(e, context.HttpContext, logger);
        }
    }
}

public static class MastodonErrorHandling
{
    /// <summary>Whatever no endpoint filter answered (a media file, a fallback) still answers in Mastodon's format.</summary>
    public static IApplicationBuilder UseMastodonErrors(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("Mediary.Mastodon.Errors");
        return app.UseExceptionHandler(errors => errors.Run(context =>
        {
            var failure = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            var answer = failure is null
                ? MastodonErrors.Error(StatusCodes.Status500InternalServerError, MastodonErrors.Internal)
                : MastodonErrors.ForFailure(failure, context, logger);
            return answer.ExecuteAsync(context);
        }));
    }

    /// <summary>Unknown API paths answer in Mastodon's format.</summary>
    public static WebApplication MapMastodonFallbacks(this WebApplication app)
    {
        app.MapFallback("/api/{**rest}", (HttpContext http) =>
            MastodonErrors.WriteAsync(http, StatusCodes.Status404NotFound, MastodonErrors.NotFound));
        return app;
    }
}
