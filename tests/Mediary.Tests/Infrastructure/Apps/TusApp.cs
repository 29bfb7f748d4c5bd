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
    /// <summary>Where the bytes of upload <paramref name="id"/> wait on local disk until it is finished.</summary>
    public string BytesOf(string id) => Path.Combine(DataDirectory, "uploads", id);
}
