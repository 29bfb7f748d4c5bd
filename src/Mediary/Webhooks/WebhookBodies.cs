using System.Buffers;
using System.Text;
using System.Text.Json;
using Mediary.Direct;
using Mediary.Mastodon;
using Mediary.Media;

namespace Mediary.Webhooks;

/// <summary>
/// The body of a delivery, as Mastodon shapes its webhooks' (<c>{"event", "created_at", "object"}</c>),
/// the object being the media in its face's own JSON: Mastodon's MediaAttachment, or the direct
/// face's media details.
/// </summary>
public static class WebhookBodies
{
    /// <summary>A media in Mastodon's JSON, already serialized.</summary>
    public sealed record RawJson(byte[] Utf8);

    private static readonly JsonWriterOptions Writing = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static object Mastodon(MediaAttachment media, string baseUrl) => new RawJson(MediaAttachmentJson.Render(media, baseUrl));

    public static object Direct(DirectMediaView media, string baseUrl) => DirectJson.Details(media, baseUrl);

    public static string Envelope(string eventName, DateTimeOffset at, object body)
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var writer = new Utf8JsonWriter(buffer, Writing))
        {
            writer.WriteStartObject();
            writer.WriteString("event", eventName);
            writer.WriteString("created_at", DirectEnvelope.Timestamp(at));
            writer.WritePropertyName("object");
            if (body is RawJson raw) writer.WriteRawValue(raw.Utf8, skipInputValidation: true);
            else JsonSerializer.Serialize(writer, body, body.GetType(), DirectEnvelope.Json);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
