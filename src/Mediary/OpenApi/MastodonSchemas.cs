using Mediary.Media;
using Microsoft.OpenApi;
using static Mediary.OpenApi.Shapes;

namespace Mediary.OpenApi;

/// <summary>
/// The Mastodon entities as Mediary writes them: <see cref="Mastodon.MediaAttachmentJson"/> and <see cref="MediaMeta"/>,
/// <see cref="Mastodon.StatusJson"/> (Status, Account), <see cref="UsageJson"/>, and the error bodies. The other
/// areas' entities (instance, OAuth, webhooks) are added by their operation files.
/// </summary>
internal static class MastodonSchemas
{
    public static void AddTo(IDictionary<string, IOpenApiSchema> schemas, Func<string, IOpenApiSchema> reference)
    {
        schemas["Error"] = Object(("error", Text("Mastodon's text, e.g. Record not found.")));
        schemas["Empty"] = new OpenApiSchema { Type = JsonSchemaType.Object, MaxProperties = 0, Description = "An empty object, {}." };

        schemas["MediaAttachment"] = Object(
            ("id", Text("A 64-bit integer as a string.")),
            ("type", OneOf(MediaTypes.Image, MediaTypes.Gifv, MediaTypes.Video, MediaTypes.Audio)
                .Described("image; gifv for animated GIFs and videos without sound; video; audio.")),
            ("url", Text("The processed file; null until processing is complete.", "uri").OrNull()),
            ("preview_url", Text("The small preview (for audio, its cover art or custom thumbnail); null when there is none.", "uri").OrNull()),
            ("remote_url", Null().Described("Always null: the media are local.")),
            ("preview_remote_url", Null().Described("Always null.")),
            ("text_url", Null().Described("Always null (removed in Mastodon 3.5, still sent).")),
            ("meta", reference("MediaMeta").OrNullRef()),
            ("description", Text("The alternative text, at most description_limit (10000) characters.").OrNull()),
            ("blurhash", Text("BlurHash of the preview, 4x4 components.").OrNull()));
        schemas["MediaMeta"] = Object(
            [
                ("original", reference("MediaGeometry")),
                ("small", reference("MediaGeometry")),
                ("colors", Object(
                    [("background", Color()), ("foreground", Color()), ("accent", Color())], [])
                    .Described("The custom thumbnail's or cover art's colours (video and audio).")),
                ("focus", Object(("x", Number("From -1 (left) to 1 (right).")), ("y", Number("From -1 (bottom) to 1 (top).")))
                    .Described("The focal point, when one was set.")),
            ],
            []);
        schemas["MediaGeometry"] = Object(
            [
                ("width", Integer()),
                ("height", Integer()),
                ("frame_rate", Text("Video: a fraction, e.g. 30000/1001.")),
                ("duration", Number("Video and audio: seconds.")),
                ("bitrate", Integer("Video and audio: bits per second.")),
                ("size", Text("Images and previews: WIDTHxHEIGHT.")),
                ("aspect", Number("Images and previews: width / height.")),
            ],
            []).Described("An image's or preview's width, height, size and aspect; for video and audio, what ffprobe found. Keys without a value are left out.");

        (string, IOpenApiSchema)[] account =
        [
            ("id", Text()),
            ("username", Text()),
            ("acct", Text("The username: every account is local.")),
            ("display_name", Text("The username.")),
            ("locked", Boolean()),
            ("bot", Boolean()),
            ("discoverable", Boolean()),
            ("indexable", Boolean()),
            ("group", Boolean()),
            ("created_at", Text(format: "date-time")),
            ("note", Text()),
            ("url", Text("The profile's address, https://HOST/@USERNAME.", "uri")),
            ("uri", Text(format: "uri")),
            ("avatar", Text("Mastodon's missing-avatar image.", "uri")),
            ("avatar_static", Text(format: "uri")),
            ("header", Text(format: "uri")),
            ("header_static", Text(format: "uri")),
            ("followers_count", Integer()),
            ("following_count", Integer()),
            ("statuses_count", Integer("Always 0.")),
            ("last_status_at", Null()),
            ("hide_collections", Boolean()),
            ("noindex", Boolean()),
            ("emojis", Empty()),
            ("roles", Empty()),
            ("fields", Empty()),
        ];
        schemas["Account"] = Object(account);
        schemas["CredentialAccount"] = Object(
        [
            .. account,
            ("source", Object(
                ("privacy", OneOf("public")),
                ("sensitive", Boolean()),
                ("language", Null()),
                ("note", Text()),
                ("fields", Empty()),
                ("follow_requests_count", Integer()))),
        ]);

        schemas["Status"] = Object(
            ("id", Text()),
            ("created_at", Text(format: "date-time")),
            ("in_reply_to_id", Null()),
            ("in_reply_to_account_id", Null()),
            ("sensitive", Boolean()),
            ("spoiler_text", Text()),
            ("visibility", OneOf("public", "unlisted", "private", "direct")),
            ("language", Text().OrNull()),
            ("uri", Text(format: "uri")),
            ("url", Text(format: "uri")),
            ("replies_count", Integer()),
            ("reblogs_count", Integer()),
            ("favourites_count", Integer()),
            ("quotes_count", Integer()),
            ("edited_at", Text("When it was last edited.", "date-time").OrNull()),
            ("favourited", Boolean()),
            ("reblogged", Boolean()),
            ("muted", Boolean()),
            ("bookmarked", Boolean()),
            ("pinned", Boolean()),
            ("content", Text("The text as HTML: escaped, one <p> per paragraph, <br /> for line breaks.")),
            ("filtered", Empty()),
            ("reblog", Null()),
            ("application", Null()),
            ("account", reference("Account")),
            ("media_attachments", ArrayOf(reference("MediaAttachment"), "In the order of media_ids.")),
            ("mentions", Empty()),
            ("tags", Empty()),
            ("emojis", Empty()),
            ("card", Null()),
            ("poll", Null()),
            ("quote", Null()));

        schemas["Usage"] = DirectSchemas.UsageSchema();
    }

    /// <summary>A list Mediary always sends empty (no emojis, mentions, roles, ...).</summary>
    public static OpenApiSchema Empty() => new() { Type = JsonSchemaType.Array, MaxItems = 0, Items = new OpenApiSchema(), Description = "Always empty." };

    private static OpenApiSchema Color() => new() { Type = JsonSchemaType.String, Pattern = "^#[0-9a-f]{6}$" };

    /// <summary>A reference that may also be null (OpenAPI 3.1: a reference cannot carry a type, so oneOf the two).</summary>
    public static IOpenApiSchema OrNullRef(this IOpenApiSchema reference) => new OpenApiSchema { OneOf = [reference, Null()] };

    /// <summary>What a scope permits, for the security scheme's list.</summary>
    public static string ScopeMeaning(string scope) => scope switch
    {
        "read" => "Read all the account's data.",
        "write" => "Change all the account's data: upload media, post.",
        "profile" => "Read the account's profile only (verify_credentials).",
        "follow" => "Follows, blocks and mutes (accepted; nothing here uses it).",
        "push" => "Push notifications (accepted; nothing here uses it).",
        "write:media" => "Upload, describe and delete media.",
        "write:statuses" => "Post, edit and delete statuses.",
        "write:accounts" => "An app's own token: sign people up.",
        "read:statuses" or "read:accounts" => $"Read {scope[5..]}.",
        "admin:read" or "admin:write" => $"Admin: {(scope.EndsWith("read", StringComparison.Ordinal) ? "read" : "change")} everything (admin accounts only).",
        _ when scope.StartsWith("admin:", StringComparison.Ordinal) => $"Admin: {scope[6..].Replace(':', ' ').Replace('_', ' ')} (admin accounts only).",
        _ => $"{(scope.StartsWith("read", StringComparison.Ordinal) ? "Read" : "Change")} {scope[(scope.IndexOf(':') + 1)..].Replace('_', ' ')} " +
            "(accepted; nothing here uses it).",
    };
}
