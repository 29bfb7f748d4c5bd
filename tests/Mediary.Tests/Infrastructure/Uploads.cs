using System.Net.Http.Headers;

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
