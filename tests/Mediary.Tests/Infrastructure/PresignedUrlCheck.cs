using System.Security.Cryptography;
using System.Text;

namespace Mediary.Tests.Infrastructure;

/// <summary>
/// Checks a presigned S3 URL the way S3 does when the request arrives (AWS Signature Version 4,
/// authentication by query string), because s3rver, the test bucket, does not check signatures.
/// Written from AWS's description of SigV4: canonical request, string to sign, derived key.
/// </summary>
public sealed class PresignedUrlCheck(string accessKey, string secretKey)
{
    private const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>The query parameters of <paramref name="url"/>, decoded.</summary>
    public static Dictionary<string, string> Query(string url) =>
        new Uri(url).Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => Uri.UnescapeDataString(pair[0]), pair => Uri.UnescapeDataString(pair.Length > 1 ? pair[1] : ""));

    /// <summary>
    /// Whether S3 would take a request with this method and these headers (besides Host) on the URL:
    /// the signature must match one computed with the secret over the headers the URL says it signed.
    /// </summary>
    public bool Accepts(string method, string url, IReadOnlyDictionary<string, string> headers)
    {
        var uri = new Uri(url);
        var query = Query(url);
        if (query.GetValueOrDefault("X-Amz-Algorithm") != Algorithm) return false;
        var credential = query["X-Amz-Credential"].Split('/'); // key/date/region/service/aws4_request
        if (credential.Length != 5 || credential[0] != accessKey || credential[4] != "aws4_request") return false;

        var sent = headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.Trim());
        sent["host"] = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
        var signedHeaders = query["X-Amz-SignedHeaders"].Split(';');
        if (signedHeaders.Any(name => !sent.ContainsKey(name))) return false;

        var canonicalQuery = string.Join('&', query.Where(p => p.Key != "X-Amz-Signature")
            .Select(p => $"{Encode(p.Key)}={Encode(p.Value)}").Order(StringComparer.Ordinal));
        var canonicalRequest = string.Join('\n',
            method,
            uri.AbsolutePath,
            canonicalQuery,
            string.Concat(signedHeaders.Select(name => $"{name}:{sent[name]}\n")),
            query["X-Amz-SignedHeaders"],
            "UNSIGNED-PAYLOAD");
        var scope = string.Join('/', credential[1..]);
        var stringToSign = string.Join('\n', Algorithm, query["X-Amz-Date"], scope, Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));

        var key = Encoding.UTF8.GetBytes("AWS4" + secretKey);
        foreach (var part in credential[1..]) key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        var expected = Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(query["X-Amz-Signature"]));
    }

    /// <summary>RFC 3986 encoding, everything but the unreserved characters, as SigV4 wants it.</summary>
    private static string Encode(string value) => Uri.EscapeDataString(value);

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
