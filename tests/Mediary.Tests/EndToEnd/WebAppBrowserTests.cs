using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.EndToEnd;

/// <summary>
/// The web app at / in Debian's Chromium (tests/e2e/webapp-flow.mjs): sign in, upload with
/// progress, focal point and alt text, a video turning ready by itself, refusals in words, sign
/// out. Once per run, on the first pass: the app is the same on either database. Writes
/// docs/screenshots/webapp-upload-390.png and -1280.png.
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
        var scratch = ServerProcess.NewTemporaryDirectory("mediary-webapp-");
        await using var server = ServerProcess.Create();
        try
        {
            var image = await NodeScripts.MakeTestJpegAsync(scratch, cancellationToken);
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
