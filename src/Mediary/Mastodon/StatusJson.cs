using Mediary.Web;
using System.Buffers;
using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using Mediary.Auth;
using Mediary.Media;
using Mediary.Statuses;

namespace Mediary.Mastodon;

/// <summary>
/// REST::StatusSerializer and REST::AccountSerializer: every field Mastodon always sends, null or
/// empty where Mediary has nothing (no replies, reblogs, polls or cards).
/// </summary>
public static class StatusJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Mastodon's timestamps: UTC with milliseconds.</summary>
    private static string Timestamp(string iso) => DateTimeOffset.Parse(iso).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'");

    public static IResult Result(Status status, IReadOnlyList<MediaAttachment> media, Account account, HttpRequest request, MediaUrls urls) =>
        new JsonResult(writer => WriteStatus(writer, status, media, account, $"{request.Scheme}://{request.Host}", urls.BaseFor(request)));

    /// <summary>Statuses of one account, as a JSON array in the order given.</summary>
    public static IResult ListResult(IEnumerable<(Status Status, IReadOnlyList<MediaAttachment> Media)> statuses, Account account, HttpRequest request,
        MediaUrls urls) =>
        new JsonResult(writer =>
        {
            var site = $"{request.Scheme}://{request.Host}";
            var mediaBase = urls.BaseFor(request);
            writer.WriteStartArray();
            foreach (var (status, media) in statuses) WriteStatus(writer, status, media, account, site, mediaBase);
            writer.WriteEndArray();
        });

    public static IResult AccountResult(Account account, HttpRequest request, bool withSource) =>
        new JsonResult(writer => WriteAccount(writer, account, $"{request.Scheme}://{request.Host}", withSource));

    private static void WriteStatus(Utf8JsonWriter writer, Status status, IReadOnlyList<MediaAttachment> media, Account account, string site, string mediaBase)
    {
        var url = $"{site}/@{account.Username}/{status.Id}";
        writer.WriteStartObject();
        writer.WriteString("id", status.Id.ToString());
        writer.WriteString("created_at", Timestamp(status.CreatedAt));
        writer.WriteNull("in_reply_to_id");
        writer.WriteNull("in_reply_to_account_id");
        writer.WriteBoolean("sensitive", status.Sensitive);
        writer.WriteString("spoiler_text", status.SpoilerText);
        writer.WriteString("visibility", status.Visibility);
        writer.WriteString("language", status.Language);
        writer.WriteString("uri", $"{site}/users/{account.Username}/statuses/{status.Id}");
        writer.WriteString("url", url);
        writer.WriteNumber("replies_count", 0);
        writer.WriteNumber("reblogs_count", 0);
        writer.WriteNumber("favourites_count", 0);
        writer.WriteNumber("quotes_count", 0);
        writer.WriteString("edited_at", status.EditedAt is null ? null : Timestamp(status.EditedAt));
        writer.WriteBoolean("favourited", false);
        writer.WriteBoolean("reblogged", false);
        writer.WriteBoolean("muted", false);
        writer.WriteBoolean("bookmarked", false);
        writer.WriteBoolean("pinned", false);
        writer.WriteString("content", Content(status.Text));
        writer.WriteStartArray("filtered");
        writer.WriteEndArray();
        writer.WriteNull("reblog");
        writer.WriteNull("application");
        writer.WritePropertyName("account");
        WriteAccount(writer, account, site, withSource: false);
        writer.WriteStartArray("media_attachments");
        foreach (var item in media) MediaAttachmentJson.Write(writer, item, mediaBase);
        writer.WriteEndArray();
        foreach (var empty in new[] { "mentions", "tags", "emojis" })
        {
            writer.WriteStartArray(empty);
            writer.WriteEndArray();
        }
        writer.WriteNull("card");
        writer.WriteNull("poll");
        writer.WriteNull("quote");
        writer.WriteEndObject();
    }

    /// <summary>Plain text as Mastodon renders it: escaped, paragraphs split on blank lines, line breaks kept.</summary>
    internal static string Content(string text)
    {
        if (text.Length == 0) return "";
        var paragraphs = text.Replace("\r\n", "\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(p => "<p>" + WebUtility.HtmlEncode(p).Replace("\n", "<br />") + "</p>");
        return string.Concat(paragraphs);
    }

    private static void WriteAccount(Utf8JsonWriter writer, Account account, string site, bool withSource)
    {
        writer.WriteStartObject();
        writer.WriteString("id", account.Id.ToString());
        writer.WriteString("username", account.Username);
        writer.WriteString("acct", account.Username);
        writer.WriteString("display_name", account.Username);
        writer.WriteBoolean("locked", false);
        writer.WriteBoolean("bot", false);
        writer.WriteBoolean("discoverable", false);
        writer.WriteBoolean("indexable", false);
        writer.WriteBoolean("group", false);
        writer.WriteString("created_at", Timestamp(account.CreatedAt));
        writer.WriteString("note", "");
        writer.WriteString("url", $"{site}/@{account.Username}");
        writer.WriteString("uri", $"{site}/users/{account.Username}");
        foreach (var image in new[] { "avatar", "avatar_static", "header", "header_static" }) writer.WriteString(image, $"{site}/{image.Split('_')[0]}s/original/missing.png");
        writer.WriteNumber("followers_count", 0);
        writer.WriteNumber("following_count", 0);
        writer.WriteNumber("statuses_count", 0);
        writer.WriteNull("last_status_at");
        writer.WriteBoolean("hide_collections", false);
        writer.WriteBoolean("noindex", false);
        foreach (var empty in new[] { "emojis", "roles", "fields" })
        {
            writer.WriteStartArray(empty);
            writer.WriteEndArray();
        }
        if (withSource)
        {
            writer.WriteStartObject("source");
            writer.WriteString("privacy", "public");
            writer.WriteBoolean("sensitive", false);
            writer.WriteNull("language");
            writer.WriteString("note", "");
            writer.WriteStartArray("fields");
            writer.WriteEndArray();
            writer.WriteNumber("follow_requests_count", 0);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    private sealed class JsonResult(Action<Utf8JsonWriter> write) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var buffer = new ArrayBufferWriter<byte>(2048);
            using (var writer = new Utf8JsonWriter(buffer, Options)) write(writer);
            httpContext.Response.ContentType = "application/json; charset=utf-8";
            httpContext.Response.ContentLength = buffer.WrittenCount;
            await httpContext.Response.Body.WriteAsync(buffer.WrittenMemory);
        }
    }
}
