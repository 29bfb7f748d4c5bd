namespace Mediary.Tests.Infrastructure;

/// <summary>
/// Webhooks on loopback, and jobs that fail for good on a long video: every transcode of
/// <see cref="LongVideo.Path720pHalfMinute"/> overruns a 3-second ffmpeg limit (probing and the
/// first frame fit in it), and a job has 2 attempts.
/// </summary>
public sealed class FailingTranscodeWebhookApp() : MediaryApp(new Dictionary<string, string>
{
    ["Webhooks:AllowPrivateAddresses"] = "true",
    ["Jobs:FfmpegTimeoutSeconds"] = "3",
    ["Jobs:MaxAttempts"] = "2",
});
