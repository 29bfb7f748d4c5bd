using System.Security.Cryptography;
using System.Text;
using Mediary.Configuration;
using Microsoft.Extensions.Options;

namespace Mediary.Direct;

/// <summary>
/// Signs Mediary's own upload URLs: <c>/v1/uploads/{media_id}?expires={unix seconds}&amp;signature={hex}</c>.
/// The HMAC-SHA256 binds the method, media id, content type, declared size and expiry, under a
/// secret generated on first start and kept in the data directory (<c>upload-signing.key</c>).
/// </summary>
public sealed class UploadSigner
{
    private const string Method = "PUT";
    private readonly byte[] _secret;

    public UploadSigner(IOptions<MediaryOptions> options)
    {
        var directory = Path.GetFullPath(options.Value.DataDirectory);
        Directory.CreateDirectory(directory);
        _secret = LoadOrCreateSecret(Path.Combine(directory, "upload-signing.key"));
    }

    public string Sign(string mediaId, string contentType, long size, long expires)
    {
        var message = $"{Method}\n{mediaId}\n{contentType}\n{size}\n{expires}";
        return Convert.ToHexStringLower(HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes(message)));
    }

    /// <summary>Whether <paramref name="signature"/> is the one for these values (compared in constant time).</summary>
    public bool IsValid(string mediaId, string contentType, long size, long expires, string? signature)
    {
        if (signature is null || signature.Length != 64) return false;
        var expected = Encoding.ASCII.GetBytes(Sign(mediaId, contentType, size, expires));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature.ToLowerInvariant()));
    }

    private static byte[] LoadOrCreateSecret(string path)
    {
        if (File.Exists(path)) return Convert.FromHexString(File.ReadAllText(path).Trim());
        var secret = RandomNumberGenerator.GetBytes(32);
        var partial = $"{path}.{Guid.NewGuid():N}.partial";
        File.WriteAllText(partial, Convert.ToHexStringLower(secret) + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(partial, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        try
        {
            // A second process starting at the same moment keeps the first one's secret.
            File.Move(partial, path, overwrite: false);
            return secret;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(partial);
            return Convert.FromHexString(File.ReadAllText(path).Trim());
        }
    }
}
