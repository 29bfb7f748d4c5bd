namespace Mediary.Tests.Infrastructure;

/// <summary>
/// The S3-compatible server (s3rver, bucket <c>media</c>) that scripts/test.sh starts on loopback
/// for the PostgreSQL run; <c>MEDIARY_TEST_S3</c> holds its URL. Absent otherwise.
/// </summary>
public static class TestBucket
{
    public static string? Url => Environment.GetEnvironmentVariable("MEDIARY_TEST_S3") is { Length: > 0 } url ? url.TrimEnd('/') : null;

    public static string PublicBaseUrl => $"{Url}/media";

    /// <summary>Configuration that puts a server's media into the bucket.</summary>
    public static Dictionary<string, string> Settings => new()
    {
        ["Storage:Provider"] = "S3",
        ["Storage:S3:ServiceUrl"] = Url!,
        ["Storage:S3:Bucket"] = "media",
        ["Storage:S3:AccessKey"] = "S3RVER",
        ["Storage:S3:SecretKey"] = "S3RVER",
        ["Storage:S3:PublicBaseUrl"] = PublicBaseUrl,
        ["Storage:S3:PartSize"] = (5 * 1024 * 1024).ToString(),
    };
}
