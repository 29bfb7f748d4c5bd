using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.EndToEnd;

/// <summary>
/// The web app at / in Debian's Chromium (tests/e2e/webapp-flow.mjs): sign in, upload with
/// progress, focal point and alt text, a video turning ready by itself, an audio's thumbnail,
/// refusals in words, the library with posted media, a throttled 20 MB upload resumed after a
/// reload, the first load's size, sign out. Once per run, on the first pass: the app is the same on
/// either database. Writes docs/screenshots/webapp-{upload,picker}-{390,1280}.png and
/// webapp-library-390.png.
/// </summary>
public sealed class WebAppBrowserTests(ITestOutputHelper output)
{
    private const string Username = "webuser";
    private const string Password = "a long password for the web app";
    private static readonly TimeSpan FlowTimeout = TimeSpan.FromMinutes(6);

    [Fact(Timeout = 600_000)]
    public async Task A_person_signs_in_uploads_describes_and_signs_out()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var (node, chromium) = await EndToEndSetup.WebAppBrowserOrSkipAsync(cancellationToken);
        var ffmpeg = NodeScripts.FindOnPath("ffmpeg");
        Assert.True(ffmpeg is not null, "the web app's browser test needs ffmpeg on PATH to make its 20 MB video");
        var scratch = ServerProcess.NewTemporaryDirectory("mediary-webapp-");
        await using var server = ServerProcess.Create();
        try
        {
            var image = await NodeScripts.MakeTestJpegAsync(scratch, cancellationToken);
            // About 20 MB that passes through (H.264/AAC MP4), so the stored file is the one sent.
            var largeVideo = await EndToEndSetup.PassthroughVideoAsync(ffmpeg, scratch, "long-walk.mp4", seconds: 10, megabits: 16, cancellationToken);
            var account = await server.RunCliAsync(["accounts", "create", Username, "--password", Password], cancellationToken);
            Assert.True(account.ExitCode == 0, $"accounts create failed: {account}");
            await server.LaunchAsync(cancellationToken: cancellationToken);

            await NodeScripts.RunFlowAsync(node, "webapp-flow.mjs", server, new Dictionary<string, string?>
            {
                ["MEDIARY_URL"] = server.BaseUrl,
                ["MEDIARY_USERNAME"] = Username,
                ["MEDIARY_PASSWORD"] = Password,
                ["MEDIARY_IMAGE"] = image,
                // Transcoded (WebM to MP4), so the app shows it processing for a moment.
                ["MEDIARY_VIDEO"] = Fixtures.Path("webm-with-audio.webm"),
                ["MEDIARY_AUDIO"] = Fixtures.Path("audio.mp3"),
                ["MEDIARY_LARGE_VIDEO"] = largeVideo,
                ["MEDIARY_FFMPEG"] = ffmpeg,
                ["MEDIARY_WORK"] = scratch,
                ["MEDIARY_CHROMIUM"] = chromium,
                ["MEDIARY_SCREENSHOT_DIR"] = Path.Combine(RepoPaths.Root, "docs", "screenshots"),
                ["NO_COLOR"] = "1",
            }, FlowTimeout, output, cancellationToken);
        }
        finally
        {
            await ServerProcess.DeleteDirectoryAsync(scratch);
        }
    }
}
