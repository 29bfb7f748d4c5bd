using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Mediary.Tests.Infrastructure;

/// <summary>Requests as a Mastodon client sends them, and the answers as it reads them.</summary>
public static class Uploads
{
    public static MultipartFormDataContent Form(string filePath, string? fileName = null, string contentType = "application/octet-stream",
        IDictionary<string, string>? fields = null)
    {
        var form = new MultipartFormDataContent();
        var file = new StreamContent(File.OpenRead(filePath));
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, "file", fileName ?? Path.GetFileName(filePath));
        foreach (var (key, value) in fields ?? new Dictionary<string, string>()) form.Add(new StringContent(value), key);
        return form;
    }

    public static async Task<Answer> UploadAsync(this User user, string filePath, string version = "v2", string? fileName = null,
        IDictionary<string, string>? fields = null)
    {
        using var form = Form(filePath, fileName, fields: fields);
        return await Answer.FromAsync(await user.Client.PostAsync($"/api/{version}/media", form));
    }

    public static async Task<Answer> GetMediaAsync(this User user, string id) =>
        await Answer.FromAsync(await user.Client.GetAsync($"/api/v1/media/{id}"));
}

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
