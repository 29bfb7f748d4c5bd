using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.EndToEnd;

/// <summary>
/// The web app's operator's view in Debian's Chromium (tests/e2e/webapp-operator-flow.mjs): an
/// admin signs in, sees the accounts with their storage, retries a video job that really failed
/// (its only attempt's ffmpeg killed, as in AdminJobTests), creates a token for another account and
/// revokes it. Once per run, on the first pass. Writes docs/screenshots/webapp-operator-390.png and -1280.png.
/// </summary>
public sealed class WebAppOperatorBrowserTests(ITestOutputHelper output)
{
    private const string Admin = "operator";
    private const string Password = "a long password for the operator";
    private const string Uploader = "uploader";
    private static readonly TimeSpan FlowTimeout = TimeSpan.FromMinutes(6);

    [Fact(Timeout = 600_000)]
    public async Task An_operator_sees_accounts_retries_a_failed_job_and_creates_and_revokes_a_token()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var (node, chromium) = await EndToEndSetup.WebAppBrowserOrSkipAsync(cancellationToken);
        var scratch = ServerProcess.NewTemporaryDirectory("mediary-webapp-operator-");
        // One attempt per job, so the killed transcode fails its job at once.
        await using var server = ServerProcess.Create(environment: new Dictionary<string, string?> { ["Jobs__MaxAttempts"] = "1" });
        try
        {
            var image = await NodeScripts.MakeTestJpegAsync(scratch, cancellationToken);
            var admin = await server.RunCliAsync(["accounts", "create", Admin, "--password", Password, "--admin"], cancellationToken);
            Assert.True(admin.ExitCode == 0, $"accounts create --admin failed: {admin}");
            var uploaderToken = await EndToEndSetup.AccountAndTokenAsync(server, Uploader, "read write", cancellationToken);
            await server.LaunchAsync(cancellationToken: cancellationToken);

            using var client = new HttpClient { BaseAddress = server.BaseUri };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", uploaderToken);
            Assert.Equal(HttpStatusCode.OK, (await UploadAsync(client, image, "image/jpeg", cancellationToken)).Status);
            var failedMedia = await FailedVideoAsync(client, server, cancellationToken);

            await NodeScripts.RunFlowAsync(node, "webapp-operator-flow.mjs", server, new Dictionary<string, string?>
            {
                ["MEDIARY_URL"] = server.BaseUrl,
                ["MEDIARY_USERNAME"] = Admin,
                ["MEDIARY_PASSWORD"] = Password,
                ["MEDIARY_OTHER_USERNAME"] = Uploader,
                ["MEDIARY_FAILED_MEDIA"] = failedMedia,
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

    /// <summary>An 8 s 720p video whose only transcode is killed mid-run: its media answers 422 once the job failed.</summary>
    private static async Task<string> FailedVideoAsync(HttpClient client, ServerProcess server, CancellationToken cancellationToken)
    {
        var accepted = await UploadAsync(client, LongVideo.Path720p, "video/quicktime", cancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, accepted.Status);
        using (var transcode = await FrozenTranscode.WaitAsync(Path.Combine(server.DataDirectory, "tmp"), TimeSpan.FromSeconds(60)))
        {
            transcode.Kill();
        }
        Assert.True(await Polling.UntilAsync(async () =>
            (await client.GetAsync($"/api/v1/media/{accepted.Id}", cancellationToken)).StatusCode == HttpStatusCode.UnprocessableEntity,
            TimeSpan.FromMinutes(1)), "the video's job did not fail");
        return accepted.Id;
    }

    private static async Task<(HttpStatusCode Status, string Id)> UploadAsync(HttpClient client, string path, string type, CancellationToken cancellationToken)
    {
        using var form = new MultipartFormDataContent();
        var file = new StreamContent(File.OpenRead(path));
        file.Headers.ContentType = new MediaTypeHeaderValue(type);
        form.Add(file, "file", Path.GetFileName(path));
        using var response = await client.PostAsync("/api/v2/media", form, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"upload of {path}: {(int)response.StatusCode} {body}");
        using var json = JsonDocument.Parse(body);
        return (response.StatusCode, json.RootElement.GetProperty("id").GetString()!);
    }
}
