namespace Mediary.Media;

/// <summary>Where each file of a media attachment is stored, following Paperclip's layout.</summary>
public static class MediaKeys
{
    /// <summary>Paperclip's id_partition: the id padded to 12 digits, in groups of three.</summary>
    public static string IdPartition(long id)
    {
        var digits = id.ToString("D12");
        digits = digits.PadLeft((digits.Length + 2) / 3 * 3, '0');
        return string.Join('/', Enumerable.Range(0, digits.Length / 3).Select(i => digits.Substring(i * 3, 3)));
    }

    /// <summary>Mastodon: SecureRandom.hex(8), so stored names reveal nothing of the upload.</summary>
    public static string RandomName() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));

    public static string Original(long id, string name, string extension) => $"media_attachments/files/{IdPartition(id)}/original/{name}.{extension}";
    public static string Small(long id, string name, string extension) => $"media_attachments/files/{IdPartition(id)}/small/{name}.{extension}";
    public static string Thumbnail(long id, string name, string extension) => $"media_attachments/thumbnails/{IdPartition(id)}/original/{name}.{extension}";

    /// <summary>The raw upload waiting for its job: outside <c>media_attachments/</c>, so never served.</summary>
    public static string Source(long id, string name, string extension) => $"pending/{IdPartition(id)}/{name}.{extension}";
}
