using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;

namespace Mediary.Storage;

/// <summary>
/// Media in an S3-compatible bucket. Files stream from and to local scratch files (multipart
/// above <see cref="S3Options.PartSize"/>); clients fetch them under <see cref="S3Options.PublicBaseUrl"/>
/// and send direct uploads to presigned URLs, so the bytes never pass through Mediary.
/// Only the plain S3 API is used (no CopyObject, no chunked payload signing), which every
/// S3-compatible store implements.
/// </summary>
public sealed class S3MediaStorage : IMediaStorage, IPublicMediaLocation, IPresignedUploads, IDisposable
{
    private readonly AmazonS3Client _client;
    private readonly AmazonS3Client _uploadClient;
    private readonly S3Options _options;
    private readonly string _bucket;

    public S3MediaStorage(IOptions<StorageOptions> options)
    {
        _options = options.Value.S3;
        _bucket = _options.Bucket is { Length: > 0 } bucket ? bucket
            : throw new InvalidOperationException("Storage:Provider is S3, so Storage:S3:Bucket must be set");
        if (_options.PublicBaseUrl is not { Length: > 0 })
            throw new InvalidOperationException("Storage:Provider is S3, so Storage:S3:PublicBaseUrl (where clients fetch media) must be set");
        _client = ClientFor(_options.ServiceUrl);
        // Presigning is computed here, never sent; it only needs the endpoint clients will use.
        _uploadClient = _options.UploadServiceUrl is { Length: > 0 } uploadUrl && uploadUrl != _options.ServiceUrl ? ClientFor(uploadUrl) : _client;
    }

    private AmazonS3Client ClientFor(string? serviceUrl)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = _options.ForcePathStyle,
            AuthenticationRegion = _options.Region,
            Timeout = TimeSpan.FromSeconds(_options.TimeoutSeconds),
            MaxErrorRetry = 2,
        };
        if (serviceUrl is { Length: > 0 }) config.ServiceURL = serviceUrl;
        else config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(_options.Region);
        return new AmazonS3Client(new BasicAWSCredentials(_options.AccessKey ?? "", _options.SecretKey ?? ""), config);
    }

    public string PublicBaseUrl => _options.PublicBaseUrl!.TrimEnd('/');

    public async Task PutFileAsync(string key, string localPath, string contentType, CancellationToken cancellationToken = default)
    {
        var length = new FileInfo(localPath).Length;
        try
        {
            if (length <= _options.PartSize)
            {
                await _client.PutObjectAsync(new PutObjectRequest
                {
                    BucketName = _bucket,
                    Key = key,
                    FilePath = localPath,
                    ContentType = contentType,
                    UseChunkEncoding = false,
                }, cancellationToken);
            }
            else
            {
                await PutInPartsAsync(key, localPath, length, contentType, cancellationToken);
            }
        }
        catch (Exception e) when (IsOutage(e))
        {
            throw Unavailable(e);
        }
        File.Delete(localPath);
    }

    private async Task PutInPartsAsync(string key, string localPath, long length, string contentType, CancellationToken cancellationToken)
    {
        var upload = await _client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = _bucket,
            Key = key,
            ContentType = contentType,
        }, cancellationToken);
        try
        {
            var parts = new List<PartETag>();
            for (var (number, position) = (1, 0L); position < length; number++, position += _options.PartSize)
            {
                var part = await _client.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = _bucket,
                    Key = key,
                    UploadId = upload.UploadId,
                    PartNumber = number,
                    FilePath = localPath,
                    FilePosition = position,
                    PartSize = Math.Min(_options.PartSize, length - position),
                    UseChunkEncoding = false,
                }, cancellationToken);
                parts.Add(new PartETag(number, part.ETag));
            }
            await _client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = _bucket,
                Key = key,
                UploadId = upload.UploadId,
                PartETags = parts,
            }, cancellationToken);
        }
        catch
        {
            await _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _bucket, Key = key, UploadId = upload.UploadId },
                CancellationToken.None);
            throw;
        }
    }

    public async Task<byte[]> ReadHeadAsync(string key, int length, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await _client.GetObjectAsync(new GetObjectRequest
            {
                BucketName = _bucket,
                Key = key,
                ByteRange = new ByteRange(0, length - 1),
            }, cancellationToken);
            var head = new byte[length];
            var read = await response.ResponseStream.ReadAtLeastAsync(head, length, throwOnEndOfStream: false, cancellationToken);
            return head[..read];
        }
        catch (Exception e) when (IsOutage(e))
        {
            throw Unavailable(e);
        }
    }

    public async Task CopyToFileAsync(string key, string localPath, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await _client.GetObjectAsync(_bucket, key, cancellationToken);
            await using var target = new FileStream(localPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await response.ResponseStream.CopyToAsync(target, cancellationToken);
        }
        catch (Exception e) when (IsOutage(e))
        {
            throw Unavailable(e);
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            await _client.DeleteObjectAsync(_bucket, key, cancellationToken);
        }
        catch (Exception e) when (IsOutage(e))
        {
            throw Unavailable(e);
        }
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) => await LengthAsync(key, cancellationToken) is not null;

    /// <summary>The object's length from a HEAD request; null when there is none.</summary>
    public async Task<long?> LengthAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            var metadata = await _client.GetObjectMetadataAsync(_bucket, key, cancellationToken);
            return metadata.ContentLength;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (Exception e) when (IsOutage(e))
        {
            throw Unavailable(e);
        }
    }

    public async IAsyncEnumerable<StoredObject> ListAsync(string prefix,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = prefix };
        while (true)
        {
            ListObjectsV2Response page;
            try
            {
                page = await _client.ListObjectsV2Async(request, cancellationToken);
            }
            catch (Exception e) when (IsOutage(e))
            {
                throw Unavailable(e);
            }
            foreach (var item in page.S3Objects ?? [])
            {
                yield return new StoredObject(item.Key, item.Size ?? 0,
                    item.LastModified is { } modified ? new DateTimeOffset(modified.ToUniversalTime(), TimeSpan.Zero) : DateTimeOffset.UnixEpoch);
            }
            if (page.IsTruncated != true) yield break;
            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    public string Provider => "s3";

    public string PresignPut(string key, string contentType, long length, DateTimeOffset expires)
    {
        var request = new GetPreSignedUrlRequest
        {
            BucketName = _bucket,
            Key = key,
            Verb = HttpVerb.PUT,
            ContentType = contentType,
            Expires = expires.UtcDateTime,
            Protocol = (_options.UploadServiceUrl ?? _options.ServiceUrl ?? "https:").StartsWith("http:", StringComparison.OrdinalIgnoreCase)
                ? Protocol.HTTP : Protocol.HTTPS,
        };
        // Signed too: a client cannot send more than it declared.
        request.Headers.ContentLength = length;
        return _uploadClient.GetPreSignedURL(request);
    }

    /// <summary>
    /// A call on the bucket for the other users of it here (the resumable uploads' multipart
    /// uploads), with an outage answered as <see cref="StorageUnavailableException"/> as for every call of this class.
    /// </summary>
    internal async Task<T> CallAsync<T>(Func<AmazonS3Client, string, Task<T>> call)
    {
        try
        {
            return await call(_client, _bucket);
        }
        catch (Exception e) when (IsOutage(e))
        {
            throw Unavailable(e);
        }
    }

    private StorageUnavailableException Unavailable(Exception e) => e switch
    {
        AmazonS3Exception { ErrorCode: "NoSuchBucket" } => new($"the bucket {_bucket} does not exist", e),
        AmazonServiceException { StatusCode: HttpStatusCode.Forbidden } service =>
            new($"the bucket {_bucket} refused Mediary's credentials ({service.ErrorCode ?? "403"})", e),
        _ => new($"the bucket {_bucket} did not answer", e),
    };

    /// <summary>
    /// The bucket cannot be used at all: unreachable, too slow (the SDK's request timeout is a
    /// <see cref="TimeoutException"/>), a server error, missing, or refusing the credentials (the
    /// keys are Mediary's own, so a 403 is a misconfiguration, not one forbidden file). Any other
    /// 4xx is a real answer about one object and stays one.
    /// </summary>
    private static bool IsOutage(Exception e) => e is HttpRequestException or TimeoutException or TaskCanceledException { InnerException: TimeoutException }
        || e is AmazonServiceException { StatusCode: >= HttpStatusCode.InternalServerError or HttpStatusCode.Forbidden }
        || e is AmazonS3Exception { ErrorCode: "NoSuchBucket" } || e is AmazonClientException;

    public void Dispose()
    {
        if (_uploadClient != _client) _uploadClient.Dispose();
        _client.Dispose();
    }
}

/// <summary>Optional capability of a storage whose objects clients fetch from elsewhere (a bucket, a CDN).</summary>
public interface IPublicMediaLocation
{
    /// <summary>Media URLs are this base, a slash, and the key.</summary>
    string PublicBaseUrl { get; }
}

/// <summary>Optional capability of a storage that takes uploads directly from clients.</summary>
public interface IPresignedUploads
{
    /// <summary>Who takes the bytes, as the direct API names it (<c>s3</c>).</summary>
    string Provider { get; }

    /// <summary>A URL a client may PUT exactly <paramref name="length"/> bytes of <paramref name="contentType"/> to, under <paramref name="key"/>, until <paramref name="expires"/>.</summary>
    string PresignPut(string key, string contentType, long length, DateTimeOffset expires);
}
