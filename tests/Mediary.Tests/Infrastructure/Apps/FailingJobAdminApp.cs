using Microsoft.Extensions.Time.Testing;

namespace Mediary.Tests.Infrastructure;

/// <summary>
/// One attempt per job (a transcode the test kills fails its job for good), no periodic vacuum
/// (the test runs the removal of failed media's raw uploads), and a clock the test moves past the retention.
/// </summary>
public sealed class FailingJobAdminApp() : MediaryApp(new Dictionary<string, string>
{
    ["Jobs:MaxAttempts"] = "1",
    ["Vacuum:IntervalMinutes"] = "0",
}, new FakeTimeProvider(DateTimeOffset.UtcNow));
