namespace Mediary.Tests.Infrastructure;

/// <summary>A server whose uploads wait at most a second for an ffmpeg slot.</summary>
public sealed class ShortSlotWaitApp() : MediaryApp(new Dictionary<string, string> { ["Jobs:FfmpegSlotWaitSeconds"] = "1" });
