namespace Mediary.OpenApi;

/// <summary>
/// The Mastodon face's examples, as a server at https://mediary.example answers them (taken from real answers,
/// the host replaced): one account, alice, her image, clip and sound, and a status attaching the image.
/// </summary>
internal static class MastodonExamples
{
    public const string Site = "https://mediary.example";
    public const string ImageId = "117726599400884025";
    public const string ClipId = "117726599433520954";
    public const string SoundId = "117726599457638204";
    public const string StatusId = "117726600249771840";
    public const string AccountId = "117726598343261422";
    public const string AppId = "117726600988886849";
    public const string ClientId = "sTCez8C5qISTfe5HC0Oe3rJpWSKMxa4okb-P5ldrgXU";
    public const string ClientSecret = "pnuUB8ur9-qd99RTaWB3jFUx0spGwMFi9f8MITJrpO4";
    public const string AccessToken = "MPXLHHjDF7F-htjnQkrwv6bpvaifJPe7UsVuqQsikpg";
    public const string WebhookId = "117726601625765701";
    public const string DeliveryId = "117726601654404935";

    private const string Files = Site + "/system/media_attachments/files";

    public const string Image = $$"""
        {"id": "{{ImageId}}", "type": "image",
         "url": "{{Files}}/117/726/599/400/884/025/original/fd770c31ff7401ff.jpeg",
         "preview_url": "{{Files}}/117/726/599/400/884/025/small/fd770c31ff7401ff.jpeg",
         "remote_url": null, "preview_remote_url": null, "text_url": null,
         "meta": {"original": {"width": 600, "height": 400, "size": "600x400", "aspect": 1.5},
                  "small": {"width": 588, "height": 392, "size": "588x392", "aspect": 1.5}, "focus": {"x": 0.5, "y": -0.25} },
         "description": "A photo", "blurhash": "U%NnXeR-~TxtR-s.oeRkxsayj[oeRnayxZj@"}
        """;

    /// <summary>A WebM clip without sound (so gifv) as v2 answers it with 202: url null, meta of the upload as probed.</summary>
    public const string ClipProcessing = $$"""
        {"id": "{{ClipId}}", "type": "gifv", "url": null,
         "preview_url": "{{Files}}/117/726/599/433/520/954/small/cd90ebb91a7e5047.png",
         "remote_url": null, "preview_remote_url": null, "text_url": null,
         "meta": {"original": {"width": 960, "height": 540, "frame_rate": "30000/1001", "duration": 0.1, "bitrate": 3502160},
                  "small": {"width": 640, "height": 360, "size": "640x360", "aspect": 1.7777777777777777} },
         "description": null, "blurhash": "UCEfyGbx0L%MKs%bnO-:vWXkoftPIBw5x[NZ"}
        """;

    /// <summary>The same clip once its MP4 is made, described and with a focal point.</summary>
    public const string Clip = $$"""
        {"id": "{{ClipId}}", "type": "gifv",
         "url": "{{Files}}/117/726/599/433/520/954/original/cd90ebb91a7e5047.mp4",
         "preview_url": "{{Files}}/117/726/599/433/520/954/small/cd90ebb91a7e5047.png",
         "remote_url": null, "preview_remote_url": null, "text_url": null,
         "meta": {"original": {"width": 960, "height": 540, "frame_rate": "30000/1001", "duration": 0.101, "bitrate": 3258693},
                  "small": {"width": 640, "height": 360, "size": "640x360", "aspect": 1.7777777777777777}, "focus": {"x": 0.0, "y": 0.5} },
         "description": "A short clip", "blurhash": "UCEfyGbx0L%MKs%bnO-:vWXkoftPIBw5x[NZ"}
        """;

    /// <summary>An Ogg sound with cover art, as v1 answers it once transcoded to MP3.</summary>
    public const string Sound = $$"""
        {"id": "{{SoundId}}", "type": "audio",
         "url": "{{Files}}/117/726/599/457/638/204/original/f713cc47a40fe145.mp3",
         "preview_url": "{{Site}}/system/media_attachments/thumbnails/117/726/599/457/638/204/original/cd7b5ee7c2f7098e.png",
         "remote_url": null, "preview_remote_url": null, "text_url": null,
         "meta": {"original": {"duration": 0.261224, "bitrate": 90772}, "small": {"width": 150, "height": 150, "size": "150x150", "aspect": 1.0},
                  "colors": {"background": "#268cd9", "foreground": "#f3f3f3", "accent": "#d9f3f3"} },
         "description": null, "blurhash": "UeHy@Dxt0NNIt7R*ayt60NWC%1aykCs:RkRk"}
        """;

    private const string AccountFields = $$"""
        "id": "{{AccountId}}", "username": "alice", "acct": "alice", "display_name": "alice", "locked": false, "bot": false,
        "discoverable": false, "indexable": false, "group": false, "created_at": "2026-04-10T12:00:00.000Z", "note": "",
        "url": "{{Site}}/@alice", "uri": "{{Site}}/users/alice",
        "avatar": "{{Site}}/avatars/original/missing.png", "avatar_static": "{{Site}}/avatars/original/missing.png",
        "header": "{{Site}}/headers/original/missing.png", "header_static": "{{Site}}/headers/original/missing.png",
        "followers_count": 0, "following_count": 0, "statuses_count": 0, "last_status_at": null, "hide_collections": false,
        "noindex": false, "emojis": [], "roles": [], "fields": []
        """;

    public const string Account = "{" + AccountFields + "}";

    public const string CredentialAccount = "{" + AccountFields + """
        , "source": {"privacy": "public", "sensitive": false, "language": null, "note": "", "fields": [], "follow_requests_count": 0}}
        """;

    public const string Status = $$"""
        {"id": "{{StatusId}}", "created_at": "2026-04-10T12:05:00.258Z", "in_reply_to_id": null, "in_reply_to_account_id": null,
         "sensitive": false, "spoiler_text": "", "visibility": "public", "language": "en",
         "uri": "{{Site}}/users/alice/statuses/{{StatusId}}", "url": "{{Site}}/@alice/{{StatusId}}",
         "replies_count": 0, "reblogs_count": 0, "favourites_count": 0, "quotes_count": 0, "edited_at": null,
         "favourited": false, "reblogged": false, "muted": false, "bookmarked": false, "pinned": false,
         "content": "<p>Hello &lt;world&gt;</p><p>Second paragraph</p>", "filtered": [], "reblog": null, "application": null,
         "account": {{Account}}, "media_attachments": [{{Image}}],
         "mentions": [], "tags": [], "emojis": [], "card": null, "poll": null, "quote": null}
        """;

    public const string Usage = """{"used_bytes": 61474, "reserved_bytes": 0, "limit_bytes": 104857600, "remaining_bytes": 104795914, "media_count": 4}""";

    public const string Webhook = $$"""
        {"id": "{{WebhookId}}", "url": "https://hooks.example/mediary", "events": ["media.processed", "media.deleted"],
         "created_at": "2026-04-10T12:10:01.253Z"}
        """;

    public const string Delivery = $$"""
        {"id": "{{DeliveryId}}", "event": "media.processed", "state": "pending", "attempts": 1, "last_status": null,
         "last_error": "Name or service not known (hooks.example:443)", "next_attempt_at": "2026-04-10T12:11:01.740Z",
         "delivered_at": null, "created_at": "2026-04-10T12:10:01.688Z"}
        """;

    public const string Application = $$"""
        {"id": "{{AppId}}", "name": "MyApp", "website": "https://app.example", "scopes": ["read", "write:media", "write:accounts"],
         "redirect_uris": ["urn:ietf:wg:oauth:2.0:oob"], "redirect_uri": "urn:ietf:wg:oauth:2.0:oob"}
        """;

    public const string CredentialApplication = $$"""
        {"id": "{{AppId}}", "name": "MyApp", "website": "https://app.example", "scopes": ["read", "write:media", "write:accounts"],
         "redirect_uris": ["urn:ietf:wg:oauth:2.0:oob"], "redirect_uri": "urn:ietf:wg:oauth:2.0:oob",
         "client_id": "{{ClientId}}", "client_secret": "{{ClientSecret}}", "client_secret_expires_at": 0}
        """;

    public const string Token = $$"""
        {"access_token": "{{AccessToken}}", "token_type": "Bearer", "scope": "read write:media", "created_at": 1775822400}
        """;
}
