using Microsoft.Extensions.Time.Testing;

namespace Mediary.Tests.Infrastructure;

/// <summary>
/// A server for the tus tests: 3 open uploads per account, 5 uploads per account per hour, bytes
/// made durable every MiB, on a clock of its own (starting 10 s into an hour, like
/// <see cref="UploadThrottleApp"/>) that a test moves past an upload's expiry.
/// </summary>
public sealed class TusApp() : MediaryApp(new Dictionary<string, string>
{
    ["ResumableUploads:MaxOpenPerAccount"] = "3",
    ["ResumableUploads:CheckpointBytes"] = (1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
    ["RateLimits:MediaUploadLimit"] = "5",
    ["RateLimits:MediaUploadPeriodSeconds"] = "3600",
}, new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 3600 * 3600 + 10)))
{
    /// <summary>
    /// How many bytes of upload <paramref name="id"/> wait for the rest, or null when nothing of it
    /// is kept: its file on local disk, or its objects in the bucket (the tail after its parts; the
    /// parts of an unfinished multipart upload cannot be listed on s3rver).
    /// </summary>
    public async Task<long?> KeptBytesAsync(string id)
    {
        if (Bucket is null)
        {
            var path = Path.Combine(DataDirectory, "uploads", id);
            return File.Exists(path) ? new FileInfo(path).Length : null;
        }
        var kept = (await Bucket.ObjectsAsync()).Where(stored => stored.Key.StartsWith($"resumable_uploads/{id}/", StringComparison.Ordinal)).ToList();
        return kept.Count == 0 ? null : kept.Where(stored => stored.Key.Contains("/tail-", StringComparison.Ordinal)).Sum(stored => stored.Size);
    }

    /// <summary>The ids of every upload whose bytes are kept, on local disk or in the bucket, sorted.</summary>
    public async Task<IReadOnlyList<string>> KeptUploadsAsync()
    {
        if (Bucket is null)
        {
            var root = Path.Combine(DataDirectory, "uploads");
            return Directory.Exists(root) ? [.. Directory.GetFiles(root).Select(Path.GetFileName).Order(StringComparer.Ordinal)!] : [];
        }
        return [.. (await Bucket.KeysAsync()).Where(key => key.StartsWith("resumable_uploads/", StringComparison.Ordinal))
            .Select(key => key.Split('/')[1]).Distinct().Order(StringComparer.Ordinal)];
    }
}
