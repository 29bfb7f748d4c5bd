namespace Mediary.Tests.Infrastructure;

/// <summary>A server whose bucket is an endpoint that accepts connections and never answers.</summary>
public sealed class SilentBucketApp(string url) : MediaryApp(new()
{
    ["Storage:Provider"] = "S3",
    ["Storage:S3:ServiceUrl"] = url,
    ["Storage:S3:Bucket"] = "media",
    ["Storage:S3:AccessKey"] = "key",
    ["Storage:S3:SecretKey"] = "secret",
    ["Storage:S3:PublicBaseUrl"] = url + "/media",
    ["Storage:S3:TimeoutSeconds"] = "1",
});
