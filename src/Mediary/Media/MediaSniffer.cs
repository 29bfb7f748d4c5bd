using System.Text;

namespace Mediary.Media;

/// <summary>The real type of a file, read from its first bytes: the client's Content-Type and file name are never trusted.</summary>
public sealed record SniffedType(string MimeType, string[] Extensions)
{
    public bool IsGif => MimeType == "image/gif";

    /// <summary>HEIC, HEIF and AVIF are stored as JPEG, as on Mastodon.</summary>
    public bool ConvertsToJpeg => MimeType is "image/heic" or "image/heif" or "image/avif";
}

public static class MediaSniffer
{
    public const int HeaderLength = 64;

    private static readonly SniffedType Jpeg = new("image/jpeg", ["jpeg", "jpg", "jpe", "jfif"]);
    private static readonly SniffedType Png = new("image/png", ["png"]);
    private static readonly SniffedType Gif = new("image/gif", ["gif"]);
    private static readonly SniffedType Webp = new("image/webp", ["webp"]);
    private static readonly SniffedType Heic = new("image/heic", ["heic"]);
    private static readonly SniffedType Heif = new("image/heif", ["heif"]);
    private static readonly SniffedType Avif = new("image/avif", ["avif"]);

    /// <summary>Returns null for anything Mediary does not accept.</summary>
    public static SniffedType? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return Jpeg;
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A])) return Png;
        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8)) return Gif;
        if (head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8)) return Webp;
        return SniffIsoMedia(head);
    }

    /// <summary>ISO base media files: an <c>ftyp</c> box whose brands name the HEIF family.</summary>
    private static SniffedType? SniffIsoMedia(ReadOnlySpan<byte> head)
    {
        if (head.Length < 16 || !head[4..8].SequenceEqual("ftyp"u8)) return null;
        var boxSize = (int)Math.Min((uint)(head[0] << 24 | head[1] << 16 | head[2] << 8 | head[3]), (uint)head.Length);
        var brands = new List<string> { Encoding.ASCII.GetString(head[8..12]) };
        for (var offset = 16; offset + 4 <= boxSize; offset += 4) brands.Add(Encoding.ASCII.GetString(head.Slice(offset, 4)));

        if (brands.Contains("avif") || brands.Contains("avis")) return Avif;
        if (brands[0] is "heic" or "heix" or "heim" or "heis" or "hevc" or "hevx") return Heic;
        if (brands[0] is "mif1" or "msf1") return brands.Contains("heic") || brands.Contains("heix") ? Heic : Heif;
        return null;
    }

    /// <summary>
    /// Mastodon keeps the client's extension when it belongs to the detected type, else uses the
    /// type's first one; <c>jpe</c> and <c>jfif</c> become <c>jpeg</c>.
    /// </summary>
    public static string ExtensionFor(SniffedType type, string? clientFileName)
    {
        var given = Path.GetExtension(clientFileName ?? "").TrimStart('.').ToLowerInvariant();
        if (!type.Extensions.Contains(given)) return type.Extensions[0];
        return given is "jpe" or "jfif" ? "jpeg" : given;
    }
}
