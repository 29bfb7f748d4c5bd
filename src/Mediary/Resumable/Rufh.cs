using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace Mediary.Resumable;

/// <summary>
/// The fields of Resumable Uploads for HTTP (draft-ietf-httpbis-resumable-upload, interop version
/// <see cref="InteropVersion"/>): parsing what clients send (structured fields, RFC 9651) and
/// writing what servers answer. The faces map the requests.
/// </summary>
public static class Rufh
{
    /// <summary>The draft's interop version implemented; a request naming another is a plain upload.</summary>
    public const string InteropVersion = "8";

    public const string InteropVersionHeader = "Upload-Draft-Interop-Version";
    public const string PartialUploadContentType = "application/partial-upload";

    public const string MismatchingOffset = "https://iana.org/assignments/http-problem-types#mismatching-upload-offset";
    public const string CompletedUpload = "https://iana.org/assignments/http-problem-types#completed-upload";
    public const string InconsistentLength = "https://iana.org/assignments/http-problem-types#inconsistent-upload-length";

    /// <summary>The headers a browser may read from a draft answer, for CORS.</summary>
    public static readonly string[] ExposedHeaders = ["Upload-Complete", "Upload-Limit", InteropVersionHeader, "Repr-Digest"];

    /// <summary>Whether the request speaks the draft's version this server implements.</summary>
    public static bool SpeaksVersion(HttpRequest request) => request.Headers[InteropVersionHeader] == InteropVersion;

    /// <summary>An sf-boolean (<c>?0</c>, <c>?1</c>, parameters ignored), or null when absent or anything else.</summary>
    public static bool? Boolean(string? value) => BareItem(value) switch
    {
        "?1" => true,
        "?0" => false,
        _ => null,
    };

    /// <summary>A non-negative sf-integer (at most 15 digits, parameters ignored), or null when absent or anything else.</summary>
    public static long? Integer(string? value) =>
        BareItem(value) is { Length: > 0 and <= 15 } digits && digits.All(char.IsAsciiDigit)
            ? long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture)
            : null;

    /// <summary>
    /// The digest of a <c>Repr-Digest</c> or <c>Content-Digest</c> field (RFC 9530) that this server
    /// checks: <c>sha-512</c>, else <c>sha-256</c>; null when the field is absent or names only
    /// other algorithms. False when the field is malformed, or a digest is not of its algorithm's length.
    /// </summary>
    public static bool TryDigest(string? value, out Checksum? checksum)
    {
        checksum = null;
        if (string.IsNullOrWhiteSpace(value)) return true;
        foreach (var member in value.Split(','))
        {
            var pair = member.Split('=', 2);
            if (pair.Length != 2) return false;
            var item = BareItem(pair[1]);
            if (item is not { Length: >= 2 } || item[0] != ':' || item[^1] != ':') return false;
            (HashAlgorithmName Name, int Bytes)? algorithm = pair[0].Trim() switch
            {
                "sha-256" => (HashAlgorithmName.SHA256, 32),
                "sha-512" => (HashAlgorithmName.SHA512, 64),
                _ => null,
            };
            if (algorithm is not { } known) continue;
            try
            {
                var digest = Convert.FromBase64String(item[1..^1]);
                if (digest.Length != known.Bytes) return false;
                if (checksum is null || known.Name == HashAlgorithmName.SHA512) checksum = new Checksum(known.Name, digest);
            }
            catch (FormatException)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>A <c>Repr-Digest</c> value for a digest computed here.</summary>
    public static string DigestField(HashAlgorithmName algorithm, byte[] digest) =>
        $"{(algorithm == HashAlgorithmName.SHA512 ? "sha-512" : "sha-256")}=:{Convert.ToBase64String(digest)}:";

    /// <summary>Upload-Limit: the largest representation taken, and how long the upload resource lives from now.</summary>
    public static void WriteLimit(HttpResponse response, long maxSize, TimeSpan? maxAge)
    {
        var limit = string.Create(CultureInfo.InvariantCulture, $"max-size={maxSize}");
        if (maxAge is { } age) limit += string.Create(CultureInfo.InvariantCulture, $", max-age={Math.Max(0, (long)age.TotalSeconds)}");
        response.Headers["Upload-Limit"] = limit;
    }

    /// <summary>Where the upload stands: its durable offset, whether it is complete, and its length once known.</summary>
    public static void WriteState(HttpResponse response, ResumableUpload upload)
    {
        response.Headers["Upload-Offset"] = upload.Offset.ToString(CultureInfo.InvariantCulture);
        response.Headers["Upload-Complete"] = upload.State == ResumableStates.Done ? "?1" : "?0";
        if (upload.Length is { } length) response.Headers["Upload-Length"] = length.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>One of the draft's problem types (RFC 9457), with its extension members.</summary>
    public static IResult Problem(int status, string type, string title, Dictionary<string, object>? members = null)
    {
        var body = new Dictionary<string, object> { ["type"] = type, ["title"] = title };
        foreach (var (key, value) in members ?? []) body[key] = value;
        return Results.Text(JsonSerializer.Serialize(body), "application/problem+json", statusCode: status);
    }

    private static string? BareItem(string? value)
    {
        if (value is null) return null;
        var semicolon = value.IndexOf(';', StringComparison.Ordinal);
        return (semicolon < 0 ? value : value[..semicolon]).Trim();
    }
}
