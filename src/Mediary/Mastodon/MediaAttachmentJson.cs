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

    /// <summary>200, or 206 while the media is still being processed (Mastodon's show and update).</summary>
    public static IResult Result(MediaAttachment media, HttpRequest request, MediaUrls urls, int? status = null) =>
        new MediaResult(media, urls.BaseFor(request), status ?? (media.IsProcessed ? StatusCodes.Status200OK : StatusCodes.Status206PartialContent));

    private sealed class MediaResult(MediaAttachment media, string baseUrl, int status) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var buffer = new ArrayBufferWriter<byte>(1024);
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                Write(writer, media, baseUrl);
            }
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = "application/json; charset=utf-8";
            httpContext.Response.ContentLength = buffer.WrittenCount;
            await httpContext.Response.Body.WriteAsync(buffer.WrittenMemory);
        }
    }
}
