using System.Net;
using System.Net.Http.Headers;
using Dapper;
using Mediary.Tests.EndToEnd;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Jobs;

/// <summary>Jobs survive a crash of the whole server; a job that keeps failing stops after its attempts.</summary>
public sealed class DurabilityTests
{
    private static async Task<(ServerProcess Server, User User)> StartAsync(Dictionary<string, string?>? environment = null)
    {
        // A short lease: on a shared database (PostgreSQL) the restarted server can only tell the
        // killed one's job is orphaned once its lease has run out.
        environment ??= [];
        environment.TryAdd("Jobs__LeaseSeconds", "6");
        var server = ServerProcess.Create(environment: environment);
        Assert.Equal(0, (await server.RunCliAsync("accounts", "create", "durable")).ExitCode);
        var token = (await server.RunCliAsync("tokens", "create", "--account", "durable", "--scopes", "read write")).Stdout.Trim();
        await server.LaunchAsync();
        var client = new HttpClient { BaseAddress = server.BaseUri, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (server, new User(null!, token, client));
    }

    private static async Task<(string State, long Attempts)> JobAsync(ServerProcess server, string mediaId)
    {
        await using var connection = await server.Database.OpenAsync();
        return await connection.QuerySingleAsync<(string, long)>(
            "SELECT state, attempts FROM media_jobs WHERE subject = @id", new { id = mediaId });
    }

    /// <summary>A server, its client, the id of a long video, and its transcode, held mid-way.</summary>
    private static async Task<(ServerProcess Server, User User, string MediaId, FrozenTranscode Transcode)> TranscodingAsync()
    {
        var (server, user) = await StartAsync();
        try
        {
            var accepted = await user.UploadAsync(LongVideo.Path720p);
            Assert.Equal(HttpStatusCode.Accepted, accepted.Status);
            return (server, user, accepted.Id, await FrozenTranscode.WaitAsync(Path.Combine(server.DataDirectory, "tmp"), TimeSpan.FromSeconds(60)));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Restarts the server and waits for the video; returns the job's attempts once it is complete.</summary>
    private static async Task<long> FinishedAfterRestartAsync(ServerProcess server, User user, string mediaId)
    {
        await server.LaunchAsync();
        var done = await user.WaitUntilProcessedAsync(mediaId, TimeSpan.FromMinutes(3));
        Assert.Equal(HttpStatusCode.OK, done.Status);
        Assert.EndsWith(".mp4", done.Url);
        using var browser = new HttpClient();
        var download = await browser.GetAsync(done.Url);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.True((await download.Content.ReadAsByteArrayAsync()).Length > 10_000);
        // The job is marked complete once its worker has also cleaned up (source, scratch files),
        // a moment after the media reads as processed.
        await Polling.UntilAsync(async () => (await JobAsync(server, mediaId)).State == "complete", TimeSpan.FromSeconds(30));
        var (state, attempts) = await JobAsync(server, mediaId);
        Assert.Equal("complete", state);
        Assert.Empty(Directory.GetFiles(Path.Combine(server.DataDirectory, "tmp")));
        Assert.Empty(await server.StoredKeysAsync("pending/"));
        return attempts;
    }

    [Fact]
    public async Task A_server_killed_with_SIGKILL_mid_transcode_finishes_the_video_after_restart()
    {
        var (server, user, mediaId, transcode) = await TranscodingAsync();
        await using var _ = server;
        using var __ = transcode;
        Assert.Equal(HttpStatusCode.PartialContent, (await user.GetMediaAsync(mediaId)).Status);
        server.Kill();

        // The killed run counts as an attempt: a file that kills the worker must not loop forever.
        Assert.Equal(2, await FinishedAfterRestartAsync(server, user, mediaId));
    }

    [Fact]
    public async Task A_server_stopped_gracefully_mid_transcode_puts_the_job_back_unspent_and_finishes_it_after_restart()
    {
        var (server, user, mediaId, transcode) = await TranscodingAsync();
        await using var _ = server;
        using var __ = transcode;

        // SIGTERM, as a service manager sends on a deploy: the attempt is not the file's fault.
        Assert.Equal(0, await server.StopAsync());
        Assert.Equal(("queued", 0L), await JobAsync(server, mediaId));
        Assert.Empty(Directory.GetFiles(Path.Combine(server.DataDirectory, "tmp"), "*.mp4"));

        Assert.Equal(1, await FinishedAfterRestartAsync(server, user, mediaId));
    }

    [Fact]
    public async Task A_job_that_keeps_failing_stops_after_its_attempts_and_the_media_can_still_be_deleted()
    {
        // Every transcode of half a minute of 720p overruns a 3-second limit; probing and the first frame fit in it.
        var (server, user) = await StartAsync(new Dictionary<string, string?>
        {
            ["Jobs__FfmpegTimeoutSeconds"] = "3",
            ["Jobs__MaxAttempts"] = "2",
        });
        await using var _ = server;
        var accepted = await user.UploadAsync(LongVideo.Path720pHalfMinute);
        Assert.Equal(HttpStatusCode.Accepted, accepted.Status);

        var failed = await user.WaitUntilProcessedAsync(accepted.Id, TimeSpan.FromMinutes(2));
        failed.AssertError(HttpStatusCode.UnprocessableEntity, "Error processing thumbnail for uploaded media");
        Assert.Equal(("failed", 2L), await JobAsync(server, accepted.Id));

        var put = await Answer.FromAsync(await user.Client.PutAsync($"/api/v1/media/{accepted.Id}", new FormUrlEncodedContent([new("description", "x")])));
        put.AssertError(HttpStatusCode.UnprocessableEntity, "Error processing thumbnail for uploaded media");

        Assert.Equal(HttpStatusCode.OK, (await user.Client.DeleteAsync($"/api/v1/media/{accepted.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await user.GetMediaAsync(accepted.Id)).Status);
    }
}
