using System.Text;

namespace Mediary.Media;

public enum MediaFamily
{
    Image,
    Video,
    Audio,
    /// <summary>Ogg and WebM hold video or only audio: the probe decides (Mastodon re-sniffs these with <c>file</c>).</summary>
    VideoOrAudio,
    /// <summary>PDF: accepted only where an upload policy asks for documents (the direct face), never by Mastodon's.</summary>
    Document,
}

/// <summary>The real type of a file, read from its first bytes: the client's Content-Type and file name are never trusted.</summary>
public sealed record SniffedType(string MimeType, string[] Extensions, MediaFamily Family = MediaFamily.Image)
{
    public bool IsGif => MimeType == "image/gif";
    public bool IsJpeg => MimeType == "image/jpeg";

    /// <summary>Only a real MP4 may keep its streams (passthrough); QuickTime and WebM are always transcoded.</summary>
    public bool IsMp4 => MimeType == "video/mp4";

    /// <summary>HEIC, HEIF and AVIF are stored as JPEG, as on Mastodon.</summary>
    public bool ConvertsToJpeg => MimeType is "image/heic" or "image/heif" or "image/avif";
}

public static class MediaSniffer
{
    public const int HeaderLength = 64;

    /// <summary>The first <see cref="HeaderLength"/> bytes of a file (fewer if it is shorter).</summary>
    public static async Task<byte[]> ReadHeadAsync(string path, CancellationToken cancellationToken)
    {
        var head = new byte[HeaderLength];
        await using var stream = File.OpenRead(path);
        var read = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        return head[..read];
    }

    private static readonly SniffedType Jpeg = new("image/jpeg", ["jpeg", "jpg", "jpe", "jfif"]);
    private static readonly SniffedType Png = new("image/png", ["png"]);
    private static readonly SniffedType Gif = new("image/gif", ["gif"]);
    private static readonly SniffedType Webp = new("image/webp", ["webp"]);
    private static readonly SniffedType Heic = new("image/heic", ["heic"]);
    private static readonly SniffedType Heif = new("image/heif", ["heif"]);
    private static readonly SniffedType Avif = new("image/avif", ["avif"]);
    private static readonly SniffedType Mp4 = new("video/mp4", ["mp4", "m4v"], MediaFamily.Video);
    private static readonly SniffedType QuickTime = new("video/quicktime", ["mov"], MediaFamily.Video);
    private static readonly SniffedType Webm = new("video/webm", ["webm"], MediaFamily.VideoOrAudio);
    private static readonly SniffedType Pdf = new("application/pdf", ["pdf"], MediaFamily.Document);
    private static readonly SniffedType Ogg = new("video/ogg", ["ogv", "ogg"], MediaFamily.VideoOrAudio);
    private static readonly SniffedType M4a = new("audio/mp4", ["m4a"], MediaFamily.Audio);
    private static readonly SniffedType Mp3 = new("audio/mpeg", ["mp3"], MediaFamily.Audio);
    private static readonly SniffedType Aac = new("audio/aac", ["aac"], MediaFamily.Audio);
    private static readonly SniffedType Wav = new("audio/wav", ["wav"], MediaFamily.Audio);
    private static readonly SniffedType Flac = new("audio/flac", ["flac"], MediaFamily.Audio);
    private static readonly SniffedType Asf = new("video/x-ms-asf", ["wma", "asf"], MediaFamily.Audio);

    /// <summary>Returns null for anything Mediary does not accept.</summary>
    public static SniffedType? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return Jpeg;
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A])) return Png;
        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8)) return Gif;
        if (head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8)) return Webp;
        if (head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8) && head[8..12].SequenceEqual("WAVE"u8)) return Wav;
        if (head.StartsWith("OggS"u8)) return Ogg;
        if (head.StartsWith("%PDF-"u8)) return Pdf;
        if (head.StartsWith("fLaC"u8)) return Flac;
        if (head.StartsWith("ID3"u8)) return Mp3;
        if (head.StartsWith((ReadOnlySpan<byte>)[0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11])) return Asf;
        // EBML: WebM says so in its DocType; other Matroska files are not accepted, as on Mastodon.
        if (head.StartsWith((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3])) return head.IndexOf("webm"u8) >= 0 ? Webm : null;
        if (head.Length >= 2 && head[0] == 0xFF && (head[1] & 0xE0) == 0xE0)
        {
            // An MPEG audio frame header; layer bits 00 mean an ADTS AAC stream instead of MP3.
            return (head[1] & 0x06) == 0 ? Aac : Mp3;
        }
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
        if (brands[0] == "qt  ") return QuickTime;
        if (brands[0] is "M4A " or "M4B ") return M4a;
        if (brands[0] is "isom" or "iso2" or "iso4" or "iso5" or "iso6" or "mp41" or "mp42" or "avc1" or "M4V " or "dash" or "MSNV" or "f4v ") return Mp4;
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
