using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Mediary.Tests.Infrastructure;

/// <summary>
/// A direct API answer. Every one is checked on arrival for what the contract promises on every
/// response: the envelope with a request id and a millisecond UTC timestamp, and, for requests
/// made with a valid key, the rate-limit headers.
/// </summary>
public sealed partial record DirectAnswer(HttpStatusCode Status, string Body, HttpResponseMessage Response)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
    public JsonElement Data => Json.GetProperty("data");
    public string? ErrorCode => Json.GetProperty("error").ValueKind == JsonValueKind.Null ? null : Json.GetProperty("error").GetProperty("code").GetString();
    public string ErrorMessage => Json.GetProperty("error").GetProperty("message").GetString()!;
    public string MediaId => Data.GetProperty("media_id").GetString()!;
    public string MediaStatus => Data.GetProperty("status").GetString()!;

    public string? Header(string name) => Response.Headers.TryGetValues(name, out var values) ? values.Single() : null;

    public static async Task<DirectAnswer> FromAsync(HttpResponseMessage response, bool keyed = true)
    {
        var answer = new DirectAnswer(response.StatusCode, await response.Content.ReadAsStringAsync(), response);
        answer.AssertEnvelope();
        if (keyed && answer.Status != HttpStatusCode.Unauthorized)
        {
            Assert.Matches("^[0-9]+$", answer.Header("X-RateLimit-Limit"));
            Assert.Matches("^[0-9]+$", answer.Header("X-RateLimit-Remaining"));
            Assert.Matches("^[0-9]{10}$", answer.Header("X-RateLimit-Reset"));
        }
        return answer;
    }

    private void AssertEnvelope()
    {
        Assert.StartsWith("application/json", Response.Content.Headers.ContentType?.ToString());
        var keys = Json.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(["data", "error", "meta"], keys);
        var meta = Json.GetProperty("meta");
        var requestId = meta.GetProperty("request_id").GetString();
        Assert.False(string.IsNullOrEmpty(requestId));
        Assert.Equal(requestId, Header("X-Request-Id"));
        Assert.Matches(TimestampPattern(), meta.GetProperty("timestamp").GetString());
        var failed = (int)Status >= 400;
        Assert.Equal(failed, Json.GetProperty("data").ValueKind == JsonValueKind.Null);
        Assert.Equal(failed, Json.GetProperty("error").ValueKind != JsonValueKind.Null);
        if (failed) Assert.False(string.IsNullOrWhiteSpace(ErrorMessage));
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")]
    private static partial Regex TimestampPattern();

    public override string ToString() => $"{(int)Status} {Body}";
}
