namespace Mediary.Media;

/// <summary>What uploads are accepted today, as advertised by the instance API.</summary>
public static class SupportedMediaTypes
{
    // Images only until the video and audio pipeline lands; animated GIFs wait for it too.
    public static readonly string[] MimeTypes =
        ["image/jpeg", "image/png", "image/gif", "image/heic", "image/heif", "image/webp", "image/avif"];
}
