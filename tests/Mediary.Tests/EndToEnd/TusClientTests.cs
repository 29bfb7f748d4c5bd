using System.Text.Json;

namespace Mediary.Tests.EndToEnd;

/// <summary>
/// The real npm tus client (tus-js-client, see tests/e2e/tus-flow.mjs) uploads a 20 MB MP4 in 5 MiB
/// chunks to the tus endpoint of the real server, started as a child process, through a loopback
/// proxy that counts the bytes and cuts a PATCH mid-body: a cut connection, abort and resume from
/// stored URL, termination. The script prints what it saw as JSON; this test checks what a user
/// notices: the media are made and described, and a lost connection costs at most one chunk again.
/// Needs node on PATH (skipped otherwise) and ffmpeg, which makes the video and compares its streams.
/// </summary>
public sealed class TusClientTests(ITestOutputHelper output)
{
    private static readonly TimeSpan NodeFlowTimeout = TimeSpan.FromMinutes(3);

    [Fact(Timeout = 600_000)]
    public async Task Tus_js_client_survives_a_cut_resumes_after_abort_and_terminates()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var node = NodeScripts.FindOnPath("node");
        if (node is null) Assert.Skip("node is not on PATH: the tus-js-client end-to-end test needs node 20+");
        var ffmpeg = NodeScripts.FindOnPath("ffmpeg");
        Assert.True(ffmpeg is not null, "the tus-js-client test needs ffmpeg on PATH to make its video");

        await NodeScripts.EnsureNodeModulesAsync(cancellationToken);

        var scratch = ServerProcess.NewTemporaryDirectory("mediary-e2e-tus-");
        await using var server = ServerProcess.Create();
        try
        {
            var video = await EndToEndSetup.PassthroughVideoAsync(ffmpeg, scratch, "train.mp4", seconds: 10, megabits: 16, cancellationToken);
            // Above three 5 MiB chunks (abort after two, then more than one to go), far below the 99 MB video limit.
            Assert.InRange(new FileInfo(video).Length, 16L * 1024 * 1024, 30L * 1024 * 1024);
            // write:media, the narrowest scope the endpoint takes; read for GET /api/v1/media/:id.
            var token = await EndToEndSetup.AccountAndTokenAsync(server, "alice", "read write:media", cancellationToken);
            var otherToken = await EndToEndSetup.AccountAndTokenAsync(server, "bob", "read write", cancellationToken);

            await server.LaunchAsync(cancellationToken: cancellationToken);

            var flow = await NodeScripts.RunFlowAsync(node, "tus-flow.mjs", server, new Dictionary<string, string?>
            {
                ["MEDIARY_URL"] = server.BaseUrl,
                ["MEDIARY_TOKEN"] = token,
                ["MEDIARY_OTHER_TOKEN"] = otherToken,
                ["MEDIARY_VIDEO"] = video,
                ["MEDIARY_FFMPEG"] = ffmpeg,
                ["MEDIARY_WORK"] = scratch,
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
        Assert.True(line is not null, $"tus-flow.mjs printed no RESULT line:\n{flow}");
        using var json = JsonDocument.Parse(line["RESULT ".Length..]);
        var results = json.RootElement;
        var chunk = results.GetProperty("chunk").GetInt64();
        Assert.Equal(size, results.GetProperty("size").GetInt64());

        // A connection lost mid-PATCH: the upload still became the video, and only what the server
        // had not kept of that PATCH went again, at most one chunk more than the file.
        var cut = results.GetProperty("cut");
        AssertMedia(cut.GetProperty("media"), "Survived a cut");
        var cutTotal = cut.GetProperty("totalBytes").GetInt64();
        Assert.InRange(cutTotal, size, size + chunk);
        Assert.InRange(cut.GetProperty("headOffset").GetInt64(), chunk, cut.GetProperty("cutAt").GetInt64());
        Assert.Equal(cut.GetProperty("headOffset").GetInt64(), cut.GetProperty("resumeOffset").GetInt64());
        output.WriteLine($"cut: {cutTotal} bytes on the wire for {size} ({cutTotal / (double)size:F4}x), " +
            $"{cut.GetProperty("resentBytes").GetInt64()} resent, HEAD said {cut.GetProperty("headOffset").GetInt64()}");

        // Aborted after two chunks and resumed by a new client from its stored URL: the resume started
        // where the server was, not at 0, and the file crossed the wire once.
        var resumed = results.GetProperty("resumed");
        AssertMedia(resumed.GetProperty("media"), "Resumed by tus-js-client");
        Assert.Equal(2 * chunk, resumed.GetProperty("headOffset").GetInt64());
        Assert.Equal(2 * chunk, resumed.GetProperty("resumeOffset").GetInt64());
        Assert.Equal(size - 2 * chunk, resumed.GetProperty("resumeBytes").GetInt64());
        Assert.Equal(size, resumed.GetProperty("totalBytes").GetInt64());
        output.WriteLine($"abort and resume: {resumed.GetProperty("totalBytes").GetInt64()} bytes for {size} " +
            $"({resumed.GetProperty("ratio").GetDouble():F4}x), resumed at {resumed.GetProperty("headOffset").GetInt64()}");

        // Terminated: the upload is gone.
        var terminated = results.GetProperty("terminated");
        Assert.Equal(204, terminated.GetProperty("deleteStatus").GetInt32());
        Assert.Equal(404, terminated.GetProperty("headAfter").GetInt32());
    }

    private static void AssertMedia(JsonElement media, string description)
    {
        Assert.Equal("video", media.GetProperty("type").GetString());
        Assert.StartsWith("http", media.GetProperty("url").GetString());
        Assert.Equal(description, media.GetProperty("description").GetString());
    }


    /// <summary>
    /// About 20 MB of 720p H.264 (yuv420p, ultrafast, 16 Mbit/s constant) and AAC, moov first: an
    /// MP4 the server passes through without a transcode, so CI's two cores are not spent on it.
    /// </summary>
}
