using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.EndToEnd;

/// <summary>What the end-to-end upload tests make before they start: a video Mediary keeps as it is, and an account with a token.</summary>
internal static class EndToEndSetup
{
    private static readonly TimeSpan EncodeTimeout = TimeSpan.FromMinutes(2);

    /// <summary>
    /// An H.264/AAC MP4 of 720p at a constant <paramref name="megabits"/> Mbit/s for <paramref name="seconds"/> s, made
    /// by ffmpeg: a file Mediary passes through without a transcode, so CI's two cores are not spent on ffmpeg.
    /// </summary>
    public static async Task<string> PassthroughVideoAsync(string ffmpeg, string directory, string name, int seconds, int megabits,
        CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, name);
        var rate = $"{megabits}M";
        var result = await ProcessRunner.RunAsync(ffmpeg,
        [
            "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", $"testsrc2=size=1280x720:rate=30:duration={seconds}",
            "-f", "lavfi", "-i", $"sine=frequency=440:sample_rate=48000:duration={seconds}",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-b:v", rate, "-minrate", rate, "-maxrate", rate, "-bufsize", rate,
            "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart", "-shortest", path,
        ], EncodeTimeout, directory, cancellationToken: cancellationToken);
        Assert.True(result.ExitCode == 0, $"ffmpeg could not make the test video: {result}");
        return path;
    }

    /// <summary>
    /// What a browser test of the web app needs, or a skip saying why: the suite's first pass only (the app is the
    /// same on either database), node and the browser, the built app (scripts/build-web.sh) and the flows' node modules.
    /// </summary>
    public static async Task<(string Node, string Chromium)> WebAppBrowserOrSkipAsync(CancellationToken cancellationToken)
    {
        Assert.SkipWhen(TestDatabase.PostgresServer is not null, "the web app's browser tests run on the suite's first pass only");
        var (node, chromium) = NodeAndChromiumOrSkip();
        Assert.True(File.Exists(Path.Combine(RepoPaths.Root, "web", "dist", "index.html")), "the web app is not built: scripts/build-web.sh");
        await NodeScripts.EnsureNodeModulesAsync(cancellationToken);
        return (node, chromium);
    }

    /// <summary>node and the browser the browser tests drive (MEDIARY_CHROMIUM, else Debian's); the test is skipped, saying why, without either.</summary>
    public static (string Node, string Chromium) NodeAndChromiumOrSkip()
    {
        var node = NodeScripts.FindOnPath("node");
        if (node is null) Assert.Skip("node is not on PATH: the browser tests need node 20+");
        var chromium = Environment.GetEnvironmentVariable("MEDIARY_CHROMIUM") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";
        if (!File.Exists(chromium)) Assert.Skip($"no Chromium at {chromium}: install Debian's chromium package or set MEDIARY_CHROMIUM");
        return (node, chromium);
    }

    /// <summary>An account made with the CLI, as an operator would, and a token of it with <paramref name="scopes"/>.</summary>
    public static async Task<string> AccountAndTokenAsync(ServerProcess server, string name, string scopes, CancellationToken cancellationToken)
    {
        var account = await server.RunCliAsync(["accounts", "create", name], cancellationToken);
        Assert.True(account.ExitCode == 0, $"accounts create {name} failed: {account}");
        var token = await server.RunCliAsync(["tokens", "create", "--account", name, "--scopes", scopes], cancellationToken);
        Assert.True(token.ExitCode == 0, $"tokens create for {name} failed: {token}");
        return token.Stdout.Trim();
    }
}
