using System.Security.Cryptography;
using System.Text;
using Mediary.Media;

namespace Mediary.Mastodon;

/// <summary>
/// <c>data:&lt;type&gt;;base64,&lt;bytes&gt;</c> given instead of a file, as Paperclip accepts. The declared
/// type is ignored like any client claim; the decoded bytes are sniffed as usual.
/// </summary>
public static class DataUri
{
    private const int MaxPrefixLength = 256;

    public static Task<UploadedFile?> TryDecodeToFileAsync(string value, TempFiles temp, long cap, CancellationToken cancellationToken)
    {
        var stream = new MemoryStream(Encoding.UTF8.GetBytes(value), writable: false);
        return TryDecodeToFileAsync(stream, temp, cap, cancellationToken);
    }

    /// <summary>Decodes while streaming; null when the value is not a base64 data URI.</summary>
    public static async Task<UploadedFile?> TryDecodeToFileAsync(Stream value, TempFiles temp, long cap, CancellationToken cancellationToken)
    {
        var prefix = new List<byte>();
        var one = new byte[1];
        while (prefix.Count < MaxPrefixLength && await value.ReadAsync(one, cancellationToken) == 1)
        {
            if (one[0] == (byte)',') break;
            prefix.Add(one[0]);
        }
        var header = Encoding.ASCII.GetString(prefix.ToArray());
        if (!header.StartsWith("data:", StringComparison.OrdinalIgnoreCase) || !header.EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
        {
            await value.CopyToAsync(Stream.Null, cancellationToken);
            return null;
        }

        var path = temp.NewPath();
        try
        {
            await using var decoded = new CryptoStream(value, new FromBase64Transform(FromBase64TransformMode.IgnoreWhiteSpaces), CryptoStreamMode.Read);
            await using var target = File.Create(path);
            var length = await MediaFormReader.CopyCappedAsync(decoded, target, cap, cancellationToken);
            return new UploadedFile(path, "data", length);
        }
        // Bad base64: the decoder throws FormatException, and disposing it after that throws
        // NotSupportedException (it tries to flush a final block it never reached).
        catch (Exception e) when (e is FormatException or NotSupportedException)
        {
            File.Delete(path);
            return null;
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }
}
