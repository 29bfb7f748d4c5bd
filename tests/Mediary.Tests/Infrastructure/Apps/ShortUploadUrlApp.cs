using Microsoft.Extensions.Time.Testing;

namespace Mediary.Tests.Infrastructure;

/// <summary>
/// Upload URLs that live a minute of the server's clock, which the test moves on (no real wait), and
/// a cleanup every second of the wall clock. On local disk, where Mediary's own endpoint is the one
/// refusing an expired URL (a bucket refuses its presigned URLs itself, on its own clock).
/// </summary>
public sealed class ShortUploadUrlApp() : MediaryApp(new Dictionary<string, string>
{
    ["Storage:Provider"] = "Local",
    ["Direct:UploadUrlTtlSeconds"] = "60",
    ["Direct:CleanupIntervalSeconds"] = "1",
}, new FakeTimeProvider(DateTimeOffset.UtcNow));
