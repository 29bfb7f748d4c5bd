using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mediary.Direct;

/// <summary>
/// The one body format of the direct API: <c>{"data", "error", "meta": {"request_id", "timestamp"}}</c>,
/// for successes and errors alike.
/// </summary>
public static class DirectEnvelope
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // A JSON body, never HTML: upload URLs keep their '&' readable for copy and paste.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private sealed record Meta(string RequestId, string Timestamp);
    private sealed record ErrorBody(string Message, string Code, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ErrorDetails? Details);
    private sealed record ErrorDetails(string Field);
    private sealed record Body(object? Data, ErrorBody? Error, Meta Meta);

    /// <summary>The request's id, given by <see cref="Web.RequestLogging"/> and sent as <c>X-Request-Id</c>.</summary>
    public static string RequestId(HttpContext http) => http.TraceIdentifier;

    /// <summary>ISO 8601 UTC with milliseconds, e.g. <c>2026-04-10T12:00:00.000Z</c>.</summary>
    public static string Timestamp(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'");

    public static IResult Ok(object data, int status = StatusCodes.Status200OK) => new EnvelopeResult(data, null, status);

    public static Task WriteErrorAsync(HttpContext http, int status, string code, string message, string? field = null)
    {
        http.Response.StatusCode = status;
        return WriteAsync(http, null, new ErrorBody(message, code, field is null ? null : new ErrorDetails(field)));
    }

    public static Task WriteErrorAsync(HttpContext http, DirectApiException error) =>
        WriteErrorAsync(http, error.Status, error.Code, error.Message, error.Field);

    private static Task WriteAsync(HttpContext http, object? data, ErrorBody? error)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        var body = new Body(data, error, new Meta(RequestId(http), Timestamp(DateTimeOffset.UtcNow)));
        return JsonSerializer.SerializeAsync(http.Response.Body, body, Json, http.RequestAborted);
    }

    private sealed class EnvelopeResult(object data, ErrorBody? error, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = status;
            return WriteAsync(http, data, error);
        }
    }
}
