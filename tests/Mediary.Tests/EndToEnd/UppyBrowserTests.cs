using System.Text.Json;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.EndToEnd;

/// <summary>
/// Uppy (@uppy/core with @uppy/tus, npm) in a real browser, Debian's Chromium driven by playwright-core
/// (tests/e2e/uppy-flow.mjs), uploads a picked MP4 with a description in 1 MiB chunks to the tus endpoint
/// of the real server, started as a child process, from a page on another loopback origin, as a third-party
/// web client would; the page reads the media id from the last response and polls until the video is
/// processed. Skipped when node or Chromium is missing (scripts/install-deps.sh --test installs both), and
/// on the PostgreSQL pass: the browser tests run once per run.
/// </summary>
public sealed class UppyBrowserTests(ITestOutputHelper output)
{
    private static readonly TimeSpan NodeFlowTimeout = TimeSpan.FromMinutes(3);
    private const string Description = "Uploaded by Uppy in Chromium";

    [Fact(Timeout = 600_000)]
    public async Task Uppy_in_the_browser_uploads_a_described_video_that_becomes_media()
    {
        Assert.SkipWhen(TestDatabase.PostgresServer is not null, "the browser tests run on the suite's first pass only");
        var cancellationToken = TestContext.Current.CancellationToken;
        var (node, chromium) = EndToEndSetup.NodeAndChromiumOrSkip();
        var ffmpeg = NodeScripts.FindOnPath("ffmpeg");
        Assert.True(ffmpeg is not null, "the Uppy test needs ffmpeg on PATH to make its video");

        await NodeScripts.EnsureNodeModulesAsync(cancellationToken);
        var scratch = ServerProcess.NewTemporaryDirectory("mediary-e2e-uppy-");
        await using var server = ServerProcess.Create();
        try
        {
            var video = await EndToEndSetup.PassthroughVideoAsync(ffmpeg, scratch, "clip.mp4", seconds: 5, megabits: 8, cancellationToken);
            Assert.InRange(new FileInfo(video).Length, 3L * 1024 * 1024, 30L * 1024 * 1024);
            // write:media, the narrowest scope the endpoint takes; read for GET /api/v1/media/:id.
            var token = await EndToEndSetup.AccountAndTokenAsync(server, "alice", "read write:media", cancellationToken);
            await server.LaunchAsync(cancellationToken: cancellationToken);

            var flow = await NodeScripts.RunFlowAsync(node, "uppy-flow.mjs", server, new Dictionary<string, string?>
            {
                ["MEDIARY_URL"] = server.BaseUrl,
                ["MEDIARY_TOKEN"] = token,
                ["MEDIARY_VIDEO"] = video,
                ["MEDIARY_FFMPEG"] = ffmpeg,
                ["MEDIARY_WORK"] = scratch,
                ["MEDIARY_CHROMIUM"] = chromium,
                ["NO_COLOR"] = "1",
            }, NodeFlowTimeout, output, cancellationToken);

            AssertWhatTheUserSees(flow, new FileInfo(video).Length);
        }
        finally
        {
            await ServerProcess.DeleteDirectoryAsync(scratch);
        }
    }

    private void AssertWhatTheUserSees(ProcessResult flow, long size)
    {
        var line = flow.Stdout.Split('\n').LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
        Assert.True(line is not null, $"uppy-flow.mjs printed no RESULT line:\n{flow}");
        using var json = JsonDocument.Parse(line["RESULT ".Length..]);
        var results = json.RootElement;
        Assert.Equal(size, results.GetProperty("size").GetInt64());
        var chunk = results.GetProperty("chunk").GetInt64();

        // Several PATCHes, one per chunk, and the progress bar a person watches reached the end.
        Assert.Equal((size + chunk - 1) / chunk, results.GetProperty("patches").GetInt32());
        Assert.InRange(results.GetProperty("patches").GetInt32(), 3, 30);
        var progress = results.GetProperty("progress");
        Assert.Equal(size, progress.GetProperty("lastBytes").GetInt64());
        Assert.Equal(100, progress.GetProperty("lastTotalPercent").GetDouble());

        // The upload became the described video, with a URL the page could play.
        var media = results.GetProperty("media");
        Assert.Equal(results.GetProperty("mediaId").GetString(), media.GetProperty("id").GetString());
        Assert.Equal("video", media.GetProperty("type").GetString());
        Assert.StartsWith("http", media.GetProperty("url").GetString());
        Assert.Equal(Description, media.GetProperty("description").GetString());
        Assert.True(results.GetProperty("played").GetProperty("duration").GetDouble() > 0, "the stored video did not play in the page");

        Assert.Empty(results.GetProperty("errors").EnumerateArray());
        Assert.Empty(results.GetProperty("consoleErrors").EnumerateArray());
        output.WriteLine($"Uppy: {size} bytes in {results.GetProperty("patches").GetInt32()} PATCHes, media {media.GetProperty("id").GetString()}");
    }

    /// <summary>
    /// About 5.5 MB of 720p H.264 (yuv420p, ultrafast, 8 Mbit/s constant) and AAC, moov first: an MP4 the
    /// server passes through without a transcode, in six 1 MiB chunks.
    /// </summary>
}
