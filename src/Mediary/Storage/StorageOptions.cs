using System.ComponentModel.DataAnnotations;

namespace Mediary.Storage;

public enum StorageProvider { Local, S3 }

/// <summary>Section <c>Storage</c>: media files on local disk (the default) or in an S3-compatible bucket.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    public StorageProvider Provider { get; set; } = StorageProvider.Local;

    public S3Options S3 { get; set; } = new();
}

/// <summary><c>Storage:S3:*</c>: any S3-compatible store (AWS S3, MinIO, Ceph RGW, Cloudflare R2, ...).</summary>
public sealed class S3Options
{
    /// <summary>The endpoint, e.g. <c>https://s3.eu-west-1.amazonaws.com</c> or <c>http://minio:9000</c>.</summary>
    public string? ServiceUrl { get; set; }

    public string Region { get; set; } = "us-east-1";
    public string? Bucket { get; set; }
    public string? AccessKey { get; set; }
    public string? SecretKey { get; set; }

    /// <summary>Path-style addressing (<c>endpoint/bucket/key</c>), which MinIO and most self-hosted stores need.</summary>
    public bool ForcePathStyle { get; set; } = true;

    /// <summary>
    /// The endpoint as clients reach it, for the direct API's presigned upload URLs, when it differs
    /// from <see cref="ServiceUrl"/> (Mediary talking to <c>http://minio:9000</c> on a private
    /// network, clients to <c>https://s3.example</c>); unset, <see cref="ServiceUrl"/>. The host is
    /// part of the signature, so the URL is signed for this endpoint.
    /// </summary>
    [Url] public string? UploadServiceUrl { get; set; }

    /// <summary>Base of media URLs, e.g. a CDN in front of the bucket; objects are public-read through it.</summary>
    [Url] public string? PublicBaseUrl { get; set; }

    /// <summary>
    /// Seconds one request to the bucket may take before it counts as failed (the SDK tries a
    /// request up to 3 times); a bucket that stops answering is then a 503, not a hung request.
    /// </summary>
    [Range(1, 3600)] public int TimeoutSeconds { get; set; } = 30;

    /// <summary>Objects larger than this are uploaded in parts of this size, in bytes.</summary>
    [Range(5 * 1024 * 1024, 5L * 1024 * 1024 * 1024)] public long PartSize { get; set; } = 16 * 1024 * 1024;
}
