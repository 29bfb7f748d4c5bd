using Mediary.Web;
using System.Buffers;
using System.Text.Json;
using Mediary.Media;

namespace Mediary.Mastodon;

/// <summary>
/// REST::MediaAttachmentSerializer: every key always present, in Mastodon's order
/// (id, type, url, preview_url, remote_url, preview_remote_url, text_url, meta, description, blurhash),
/// compact. <c>url</c> is null until processing is complete.
/// </summary>
public static class MediaAttachmentJson
{
    public static void Write(Utf8JsonWriter writer, MediaAttachment media, string baseUrl)
    {
        writer.WriteStartObject();
        writer.WriteString("id", media.Id.ToString());
        writer.WriteString("type", media.Type);
        writer.WriteString("url", media.IsProcessed ? MediaUrls.Combine(baseUrl, media.FileKey) : null);
        writer.WriteString("preview_url", MediaUrls.Combine(baseUrl, media.PreviewKey));
        writer.WriteNull("remote_url");
        writer.WriteNull("preview_remote_url");
        writer.WriteNull("text_url");
        writer.WritePropertyName("meta");
        if (media.Meta is null) writer.WriteNullValue();
        else media.Meta.WriteTo(writer);
        writer.WriteString("description", media.Description);
        writer.WriteString("blurhash", media.Blurhash);
        writer.WriteEndObject();
    }

    private static readonly JsonWriterOptions Writing = new()
    {
        SkipValidation = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The media's JSON as UTF-8, on its own.</summary>
    public static byte[] Render(MediaAttachment media, string baseUrl)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, Writing)) Write(writer, media, baseUrl);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>200, or 206 while the media is still being processed (Mastodon's show and update).</summary>
    public static IResult Result(MediaAttachment media, HttpRequest request, MediaUrls urls, int? status = null) =>
        Result(media, Render(media, urls.BaseFor(request)), status);

    /// <summary>As <see cref="Result(MediaAttachment, HttpRequest, MediaUrls, int?)"/>, with the JSON from <paramref name="rendered"/> when it has it.</summary>
    public static IResult Result(MediaAttachment media, HttpRequest request, MediaUrls urls, MediaJsonCache rendered) =>
        Result(media, rendered.Get(media, urls.BaseFor(request)), status: null);

    private static MediaResult Result(MediaAttachment media, byte[] json, int? status) =>
        new(json, status ?? (media.IsProcessed ? StatusCodes.Status200OK : StatusCodes.Status206PartialContent));

    private sealed class MediaResult(byte[] json, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = status;
            response.ContentType = "application/json; charset=utf-8";
            response.ContentLength = json.Length;
            return response.Body.WriteAsync(json).AsTask();
        }
    }
}

/// <summary>
/// The JSON of media shown lately, by id, for clients that poll <c>GET /api/v1/media/:id</c>: the
/// same bytes are answered again while the row's <see cref="MediaAttachment.UpdatedAt"/> and the
/// request's base URL are those it was written for. Sound because every write that changes a media
/// row also rewrites its <c>updated_at</c> (a timestamp to the 100 ns; <see cref="MediaRepository"/>),
/// and the JSON depends on nothing else. Bounded: past <see cref="Capacity"/> entries it starts again.
/// </summary>
public sealed class MediaJsonCache
{
    public const int Capacity = 10_000;

    private sealed record Entry(string UpdatedAt, string BaseUrl, byte[] Json);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, Entry> _entries = new();

    public byte[] Get(MediaAttachment media, string baseUrl)
    {
        if (_entries.TryGetValue(media.Id, out var entry) && entry.UpdatedAt == media.UpdatedAt && entry.BaseUrl == baseUrl)
        {
            return entry.Json;
        }
        var json = MediaAttachmentJson.Render(media, baseUrl);
        if (media.UpdatedAt.Length == 0) return json;
        if (_entries.Count >= Capacity) _entries.Clear();
        _entries[media.Id] = new Entry(media.UpdatedAt, baseUrl, json);
        return json;
    }
}
