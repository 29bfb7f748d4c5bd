using System.Net;
using System.Text.Json;

namespace Mediary.Tests.Infrastructure;

/// <summary>Status code and parsed JSON body of a response.</summary>
public sealed record Answer(HttpStatusCode Status, string Body, HttpResponseMessage Response)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
    public string? Error => Json.TryGetProperty("error", out var e) ? e.GetString() : null;
    public string Id => Json.GetProperty("id").GetString()!;
    public string Url => Json.GetProperty("url").GetString()!;
    public string PreviewUrl => Json.GetProperty("preview_url").GetString()!;
    public JsonElement Meta => Json.GetProperty("meta");

    /// <summary>A Mastodon error as clients parse it: this status and a body of exactly <c>{"error": message}</c>.</summary>
    public void AssertError(HttpStatusCode status, string message)
    {
        Assert.True(Status == status, $"expected {(int)status}, got {this}");
        Assert.Equal(["error"], Json.EnumerateObject().Select(property => property.Name));
        Assert.Equal(message, Error);
    }

    public static async Task<Answer> FromAsync(HttpResponseMessage response) =>
        new(response.StatusCode, await response.Content.ReadAsStringAsync(), response);

    public override string ToString() => $"{(int)Status} {Body}";
}
