using System.Text.Json;

namespace Mediary.Tests.EndToEnd;

/// <summary>
/// Resumable Uploads for HTTP (the IETF draft, interop version 8) with a raw client: Node's own
/// <c>node:http</c> (tests/e2e/rufh-flow.mjs), which reports every interim answer, against the real
/// server started as a child process. A Mastodon multipart form with a passthrough MP4 is started by
/// a POST, its rest sent through a loopback proxy that counts the bytes and cuts that PATCH mid-body;
/// HEAD, a PATCH at a wrong offset, the resuming PATCH; then a POST naming another interop version.
/// Runs on both passes of the suite (the server takes the PostgreSQL database and s3rver bucket
/// from the environment). Needs node on PATH (skipped otherwise) and ffmpeg; no npm packages.
/// </summary>
public sealed class RufhClientTests(ITestOutputHelper output)
{
    private const string Description = "A train — resumed after a cut";
    private static readonly TimeSpan NodeFlowTimeout = TimeSpan.FromMinutes(3);

    [Fact(Timeout = 600_000)]
    public async Task A_raw_http_client_resumes_a_cut_form_upload_and_is_told_the_right_offset()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var node = NodeScripts.FindOnPath("node");
        if (node is null) Assert.Skip("node is not on PATH: the RUFH end-to-end test needs node 20+");
        var ffmpeg = NodeScripts.FindOnPath("ffmpeg");
        Assert.True(ffmpeg is not null, "the RUFH test needs ffmpeg on PATH to make its video");

        var scratch = ServerProcess.NewTemporaryDirectory("mediary-e2e-rufh-");
        await using var server = ServerProcess.Create();
        try
        {
            var video = await EndToEndSetup.PassthroughVideoAsync(ffmpeg, scratch, "train.mp4", seconds: 6, megabits: 16, cancellationToken);
            // Well past the 2 MiB the POST carries (the rest is cut in the middle), far below the 99 MB video limit.
            Assert.InRange(new FileInfo(video).Length, 5L * 1024 * 1024, 20L * 1024 * 1024);
            // write:media, the narrowest scope the endpoint takes; read for GET /api/v1/media/:id.
            var token = await EndToEndSetup.AccountAndTokenAsync(server, "alice", "read write:media", cancellationToken);

            await server.LaunchAsync(cancellationToken: cancellationToken);

            var flow = await NodeScripts.RunFlowAsync(node, "rufh-flow.mjs", server, new Dictionary<string, string?>
            {
                ["MEDIARY_URL"] = server.BaseUrl,
                ["MEDIARY_TOKEN"] = token,
                ["MEDIARY_VIDEO"] = video,
                ["MEDIARY_FFMPEG"] = ffmpeg,
                ["MEDIARY_WORK"] = scratch,
                ["NO_COLOR"] = "1",
            }, NodeFlowTimeout, output, cancellationToken);

            AssertWhatTheUserSees(flow);
        }
        finally
        {
            await ServerProcess.DeleteDirectoryAsync(scratch);
        }
    }

    private void AssertWhatTheUserSees(ProcessResult flow)
    {
        var line = flow.Stdout.Split('\n').LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
        Assert.True(line is not null, $"rufh-flow.mjs printed no RESULT line:\n{flow}");
        using var json = JsonDocument.Parse(line["RESULT ".Length..]);
        var results = json.RootElement;
        var size = results.GetProperty("formBytes").GetInt64();
        var firstPart = results.GetProperty("firstPart").GetInt64();

        // The POST made an upload resource holding the form's start.
        var creation = results.GetProperty("creation");
        Assert.Equal(201, creation.GetProperty("status").GetInt32());
        Assert.Equal(firstPart, creation.GetProperty("offset").GetInt64());

        // The cut: the server kept some of the PATCH, never more than reached it, and said so.
        var cut = results.GetProperty("cut");
        var headOffset = cut.GetProperty("headOffset").GetInt64();
        Assert.InRange(headOffset, firstPart + 1, cut.GetProperty("sentToServer").GetInt64());

        // A wrong offset: 409 with the draft's problem, naming the offset the server has; nothing moved.
        var mismatch = results.GetProperty("mismatch");
        Assert.Equal(409, mismatch.GetProperty("status").GetInt32());
        Assert.StartsWith("application/problem+json", mismatch.GetProperty("contentType").GetString());
        Assert.Equal("https://iana.org/assignments/http-problem-types#mismatching-upload-offset", mismatch.GetProperty("type").GetString());
        Assert.Equal(headOffset, mismatch.GetProperty("expectedOffset").GetInt64());
        Assert.NotEqual(headOffset, mismatch.GetProperty("providedOffset").GetInt64());
        Assert.Equal(headOffset, mismatch.GetProperty("uploadOffset").GetInt64());
        Assert.Equal(headOffset, mismatch.GetProperty("headAfter").GetInt64());

        // The resuming PATCH answered what POST /api/v2/media answers for a video, and it became one.
        var completed = results.GetProperty("completed");
        Assert.Equal(202, completed.GetProperty("status").GetInt32());
        Assert.Equal("?1", completed.GetProperty("uploadComplete").GetString());
        var media = completed.GetProperty("media");
        Assert.Equal("video", media.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, media.GetProperty("url").ValueKind);
        Assert.Equal(Description, media.GetProperty("description").GetString());
        Assert.Equal(media.GetProperty("id").GetString(), completed.GetProperty("mediaIdHeader").GetString());
        var processed = completed.GetProperty("processed");
        Assert.Equal("video", processed.GetProperty("type").GetString());
        Assert.StartsWith("http", processed.GetProperty("url").GetString());

        // On the wire: the form once, plus what the cut lost and the refused PATCH carried.
        var wire = results.GetProperty("wire");
        var total = wire.GetProperty("totalBytes").GetInt64();
        var lost = wire.GetProperty("lost").GetInt64();
        Assert.Equal(size + lost + wire.GetProperty("mismatchBytes").GetInt64(), total);
        Assert.True(total <= 1.02 * size + lost, $"{total} bytes on the wire for a {size}-byte form, {lost} lost in the cut");
        output.WriteLine($"wire: {total} body bytes for a {size}-byte form ({wire.GetProperty("ratio").GetDouble():F4}x), " +
            $"{lost} lost in the cut at {cut.GetProperty("sentToServer").GetInt64()}, resumed at {headOffset}");

        // Another interop version: a plain upload, no resource.
        var plain = results.GetProperty("plain");
        Assert.Contains(plain.GetProperty("status").GetInt32(), (int[])[200, 202]);
        Assert.Equal(JsonValueKind.Null, plain.GetProperty("location").ValueKind);
        Assert.Equal("video", plain.GetProperty("type").GetString());

        // Kestrel cannot send the draft's 104, so none came, to the client or to the proxy's node:http.
        var interim = results.GetProperty("interim");
        Assert.DoesNotContain(interim.GetProperty("client").EnumerateArray(), i => i.GetProperty("status").GetInt32() == 104);
        Assert.DoesNotContain(interim.GetProperty("proxy").EnumerateArray(), i => i.GetProperty("status").GetInt32() == 104);
    }

    /// <summary>
    /// About 12 MB of 720p H.264 (yuv420p, ultrafast, 16 Mbit/s constant) and AAC, moov first: an MP4
    /// the server passes through without a transcode, so CI's two cores are not spent on it.
    /// </summary>
}
