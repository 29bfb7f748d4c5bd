using Amazon.S3;
using Amazon.S3.Model;

namespace Mediary.Tests.Infrastructure;

/// <summary>
/// The S3-compatible server (s3rver) that scripts/test.sh starts on loopback for the suite's
/// second run; <c>MEDIARY_TEST_S3</c> holds its URL. When it is set, every test server keeps its
/// media in a bucket of its own there, so a test can list exactly what its server left behind.
/// </summary>
public sealed class TestBucket : IAsyncDisposable
{
    public static string? Url => Environment.GetEnvironmentVariable("MEDIARY_TEST_S3") is { Length: > 0 } url ? url.TrimEnd('/') : null;

    public static bool InUse => Url is not null;

    private readonly AmazonS3Client _client;

    private TestBucket(string name)
    {
        Name = name;
        _client = new AmazonS3Client("S3RVER", "S3RVER", new AmazonS3Config { ServiceURL = Url, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
    }

    public string Name { get; }

    /// <summary>Where the bucket's objects are served (s3rver serves GETs without a signature).</summary>
    public string PublicBaseUrl => $"{Url}/{Name}";

    /// <summary>A new empty bucket, or null when the suite runs without an S3 server.</summary>
    public static TestBucket? Create()
    {
        var bucket = NotYetCreated();
        bucket?.CreateAsync().GetAwaiter().GetResult();
        return bucket;
    }

    /// <summary>A fresh bucket name that does not exist until <see cref="CreateAsync"/>; null without an S3 server.</summary>
    public static TestBucket? NotYetCreated() => InUse ? new TestBucket("t" + Guid.NewGuid().ToString("N")) : null;

    public Task CreateAsync() => _client.PutBucketAsync(Name);

    /// <summary>Configuration that puts a server's media into this bucket.</summary>
    public Dictionary<string, string> Settings => new()
    {
        ["Storage:Provider"] = "S3",
        ["Storage:S3:ServiceUrl"] = Url!,
        ["Storage:S3:Bucket"] = Name,
        ["Storage:S3:AccessKey"] = "S3RVER",
        ["Storage:S3:SecretKey"] = "S3RVER",
        ["Storage:S3:PublicBaseUrl"] = PublicBaseUrl,
        ["Storage:S3:PartSize"] = (5 * 1024 * 1024).ToString(),
    };

    /// <summary>Every key in the bucket, sorted.</summary>
    public async Task<IReadOnlyList<string>> KeysAsync() => [.. (await ObjectsAsync()).Select(stored => stored.Key)];

    /// <summary>Every object in the bucket with its size, sorted by key.</summary>
    public async Task<IReadOnlyList<(string Key, long Size)>> ObjectsAsync()
    {
        var objects = new List<(string Key, long Size)>();
        var request = new ListObjectsV2Request { BucketName = Name };
        ListObjectsV2Response response;
        do
        {
            response = await _client.ListObjectsV2Async(request);
            objects.AddRange((response.S3Objects ?? []).Select(o => (o.Key, o.Size ?? 0)));
            request.ContinuationToken = response.NextContinuationToken;
        } while (response.IsTruncated == true);
        objects.Sort((a, b) => StringComparer.Ordinal.Compare(a.Key, b.Key));
        return objects;
    }

    /// <summary>
    /// The keys a server stored under <paramref name="prefix"/>, sorted: in its bucket, or as files
    /// under its local media directory when it has none.
    /// </summary>
    public static async Task<IReadOnlyList<string>> StoredKeysAsync(TestBucket? bucket, string localMediaRoot, string prefix)
    {
        if (bucket is not null) return (await bucket.KeysAsync()).Where(key => key.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        var directory = Path.Combine(localMediaRoot, prefix);
        if (!Directory.Exists(directory)) return [];
        return Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(localMediaRoot, path)).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Empties and removes the bucket (as far as s3rver lets it), then closes the client.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            foreach (var key in await KeysAsync()) await _client.DeleteObjectAsync(Name, key);
            await _client.DeleteBucketAsync(Name);
        }
        catch (AmazonS3Exception)
        {
        }
        _client.Dispose();
    }
}
