namespace Mediary.Tests.Infrastructure;

/// <summary>A 720p, 8 s H.264/AAC QuickTime movie: always transcoded, and long enough to interrupt.</summary>
public static class LongVideo
{
    private static readonly Lazy<string> File = new(() =>
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("mediary-long-video").FullName, "long.mov");
        Tools.MustRun("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30:duration=8",
            "-f", "lavfi", "-i", "sine=frequency=440:duration=8", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-shortest", "-y", path);
        return path;
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Path720p => File.Value;
}
