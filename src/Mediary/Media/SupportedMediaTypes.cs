namespace Mediary.Media;

/// <summary>What uploads are accepted, as advertised by the instance API: Mastodon's image, video and audio types, in its order.</summary>
public static class SupportedMediaTypes
{
    public static readonly string[] MimeTypes =
    [
        "image/jpeg", "image/png", "image/gif", "image/heic", "image/heif", "image/webp", "image/avif",
        "video/webm", "video/mp4", "video/quicktime", "video/ogg",
        "audio/wave", "audio/wav", "audio/x-wav", "audio/x-pn-wave", "audio/vnd.wave", "audio/ogg", "audio/vorbis", "audio/mpeg",
        "audio/mp3", "audio/webm", "audio/flac", "audio/aac", "audio/m4a", "audio/x-m4a", "audio/mp4", "audio/3gpp", "video/x-ms-asf",
    ];
}
