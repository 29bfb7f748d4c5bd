namespace Mediary.Tests.Infrastructure;

/// <summary>An ffmpeg run that lasts until it is killed or cancelled: <paramref name="input"/> looped, read at its own pace.</summary>
public static class EndlessFfmpeg
{
    public static string[] Arguments(string input) => ["-re", "-stream_loop", "-1", "-i", input, "-f", "null", "-"];
}
