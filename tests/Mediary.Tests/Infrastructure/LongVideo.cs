namespace Mediary.Tests.Infrastructure;

/// <summary>720p H.264/AAC QuickTime movies: always transcoded, and long enough to interrupt.</summary>
public static class LongVideo
{
    private static readonly Lazy<string> File = new(() => Make(8), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<string> HalfMinute = new(() => Make(30), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>8 seconds of 720p: a transcode of a few seconds.</summary>
    public static string Path720p => File.Value;

    /// <summary>
    /// 30 seconds of 720p, for a transcode that must overrun a short <c>Jobs:FfmpegTimeoutSeconds</c>
    /// by far while probing and the first frame still fit in it on a loaded machine.
    /// </summary>
    public static string Path720pHalfMinute => HalfMinute.Value;

    private static string Make(int seconds)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("mediary-long-video").FullName, "long.mov");
        Tools.MustRun("ffmpeg", "-v", "error", "-f", "lavfi", "-i", $"testsrc2=size=1280x720:rate=30:duration={seconds}",
            "-f", "lavfi", "-i", $"sine=frequency=440:duration={seconds}", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-shortest", "-y", path);
        return path;
    }
}
