using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Mediary.Resumable;

/// <summary>
/// The headers of tus 1.0.0 (tus-resumable-upload-protocol, protocol.md) with the extensions
/// creation, creation-with-upload, expiration, checksum and termination: parsing what clients
/// send and writing what servers answer. The faces map the requests.
/// </summary>
public static class Tus
{
    public const string Version = "1.0.0";
    public const string Extensions = "creation,creation-with-upload,expiration,checksum,termination";
    public const string ChecksumAlgorithms = "sha1,sha256";
    public const string OffsetContentType = "application/offset+octet-stream";

    /// <summary>tus's own status for a checksum that does not match (checksum extension).</summary>
    public const int ChecksumMismatchStatus = 460;

    /// <summary>The headers a browser may read from a tus response, for CORS.</summary>
    public static readonly string[] ExposedHeaders =
        ["Location", "Upload-Offset", "Upload-Length", "Upload-Expires", "Upload-Metadata", "Tus-Resumable", "Tus-Version", "Tus-Extension",
            "Tus-Max-Size", "Tus-Checksum-Algorithm"];

    /// <summary>Whether the request speaks the version served (every request but OPTIONS must say it).</summary>
    public static bool SpeaksVersion(HttpRequest request) => request.Headers["Tus-Resumable"] == Version;

    /// <summary>The answer to OPTIONS: what this server offers.</summary>
    public static void WriteDiscovery(HttpResponse response, long maxSize, string extensions = Extensions)
    {
        response.Headers["Tus-Resumable"] = Version;
        response.Headers["Tus-Version"] = Version;
        response.Headers["Tus-Extension"] = extensions;
        response.Headers["Tus-Max-Size"] = maxSize.ToString(CultureInfo.InvariantCulture);
        response.Headers["Tus-Checksum-Algorithm"] = ChecksumAlgorithms;
    }

    /// <summary>A non-negative integer header (Upload-Length, Upload-Offset), or null when absent or malformed.</summary>
    public static long? NonNegative(string? value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;

    /// <summary>
    /// Upload-Metadata: comma-separated pairs of a key and its base64 value (the value may be
    /// absent). Null when malformed: an empty or repeated key, a key with spaces, a value that is
    /// not base64 or not UTF-8.
    /// </summary>
    public static Dictionary<string, string?>? ParseMetadata(string? header)
    {
        var pairs = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(header)) return pairs;
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        foreach (var pair in header.Split(','))
        {
            var parts = pair.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length is 0 or > 2 || !pairs.TryAdd(parts[0], null)) return null;
            if (parts.Length == 1) continue;
            try
            {
                pairs[parts[0]] = strict.GetString(Convert.FromBase64String(parts[1]));
            }
            catch (Exception e) when (e is FormatException or DecoderFallbackException)
            {
                return null;
            }
        }
        return pairs;
    }

    /// <summary>
    /// Upload-Checksum: an algorithm and the base64 digest of the request's body. Ok with null when
    /// absent; not ok when the algorithm is not served or the digest is not base64 of its length.
    /// </summary>
    public static bool TryParseChecksum(string? header, out Checksum? checksum)
    {
        checksum = null;
        if (string.IsNullOrEmpty(header)) return true;
        var parts = header.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2) return false;
        (HashAlgorithmName Name, int Bytes)? algorithm = parts[0].ToLowerInvariant() switch
        {
            "sha1" => (HashAlgorithmName.SHA1, 20),
            "sha256" => (HashAlgorithmName.SHA256, 32),
            _ => null,
        };
        if (algorithm is not { } known) return false;
        try
        {
            var digest = Convert.FromBase64String(parts[1]);
            if (digest.Length != known.Bytes) return false;
            checksum = new Checksum(known.Name, digest);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>What is wrong with a PATCH's headers, before the upload is looked at.</summary>
    public enum PatchFault
    {
        None,
        WrongContentType,
        NoOffset,
        BadChecksum,
    }

    /// <summary>A PATCH's headers: its Content-Type, the offset its bytes start at, and the checksum they must have (if any).</summary>
    public static PatchFault ParsePatch(HttpRequest request, out long offset, out Checksum? checksum)
    {
        offset = 0;
        checksum = null;
        if (request.ContentType != OffsetContentType) return PatchFault.WrongContentType;
        if (NonNegative(request.Headers["Upload-Offset"]) is not { } parsed) return PatchFault.NoOffset;
        offset = parsed;
        return TryParseChecksum(request.Headers["Upload-Checksum"], out checksum) ? PatchFault.None : PatchFault.BadChecksum;
    }

    /// <summary>Where the upload stands: its durable offset, its length and when it expires.</summary>
    public static void WriteState(HttpResponse response, ResumableUpload upload)
    {
        response.Headers["Upload-Offset"] = upload.Offset.ToString(CultureInfo.InvariantCulture);
        if (upload.Length is { } length) response.Headers["Upload-Length"] = length.ToString(CultureInfo.InvariantCulture);
        if (upload.State == ResumableStates.Open) response.Headers["Upload-Expires"] = upload.Expires.ToString("R", CultureInfo.InvariantCulture);
    }
}
