using System.Net;
using Dapper;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Jobs;

/// <summary>
/// A job that fails because the media storage is away (an unmounted disk) says nothing about its
/// file: it waits for the storage and keeps its attempts, so an outage longer than the retries
/// does not fail users' videos, whether the job was storing its result or only starting.
/// </summary>
public sealed class StorageOutageJobTests
{
    [Fact]
    public async Task A_job_that_fails_for_a_storage_outage_is_put_back_without_spending_an_attempt_and_finishes_after()
    {
        await using var app = new LocalDiskApp();
        var user = await app.NewUserAsync();
        var accepted = await user.UploadAsync(LongVideo.Path720p);
        Assert.Equal(HttpStatusCode.Accepted, accepted.Status);

        // The media directory goes away mid-transcode, so storing the result fails.
        var root = app.LocalStorage!.Root;
        var away = root + ".unmounted";
        using (await FrozenTranscode.WaitAsync(Path.Combine(app.DataDirectory, "tmp"), TimeSpan.FromSeconds(60)))
        {
            Directory.Move(root, away);
        }
        try
        {
            Assert.True(await Polling.UntilAsync(async () => (await JobAsync(app, accepted.Id)).State == "queued", TimeSpan.FromSeconds(90)),
                "the job was not put back in the queue");
            var (_, attempts, error) = await JobAsync(app, accepted.Id);
            Assert.Equal(0, attempts);
            Assert.Contains("media directory", error);
        }
        finally
        {
            Directory.Move(away, root);
        }

        var processed = await user.WaitUntilProcessedAsync(accepted.Id);
        Assert.Equal(HttpStatusCode.OK, processed.Status);
        Assert.True(File.Exists(await app.StoredFileAsync(processed.Json.GetProperty("url").GetString()!)));
        Assert.True(await Polling.UntilAsync(async () => (await JobAsync(app, accepted.Id)).State == "complete", TimeSpan.FromSeconds(30)));
        Assert.Equal(1, (await JobAsync(app, accepted.Id)).Attempts);
    }

    [Fact]
    public async Task Jobs_that_start_while_the_media_directory_is_away_wait_for_it_without_spending_attempts()
    {
        await using var app = new OneWorkerLocalDiskApp();
        var user = await app.NewUserAsync();
        var first = await user.UploadAsync(LongVideo.Path720p);
        var second = await user.UploadAsync(Fixtures.Path("webm-with-audio.webm"));
        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (first.Status, second.Status));

        // The directory goes away while the one worker transcodes a video, the other waiting in the
        // queue. On local disk ffmpeg reads a source in place, so each later attempt fails as ffmpeg
        // not finding its input: the worker must see that the storage is out, not blame the files.
        var root = app.LocalStorage!.Root;
        var away = root + ".unmounted";
        using (await FrozenTranscode.WaitAsync(Path.Combine(app.DataDirectory, "tmp"), TimeSpan.FromSeconds(60)))
        {
            Directory.Move(root, away);
        }
        try
        {
            async Task<(string State, long Attempts, string? Error)[]> Jobs() => await Task.WhenAll(JobAsync(app, first.Id), JobAsync(app, second.Id));
            Assert.True(await Polling.UntilAsync(async () => (await Jobs()).All(job => job.State == "queued" && job.Error?.Contains("media directory") == true),
                TimeSpan.FromSeconds(90)), $"the jobs did not wait for the storage: {string.Join(", ", await Jobs())}");
            Assert.All(await Jobs(), job => Assert.Equal(0, job.Attempts));
        }
        finally
        {
            Directory.Move(away, root);
        }

        foreach (var video in new[] { first, second })
        {
            Assert.Equal(HttpStatusCode.OK, (await user.WaitUntilProcessedAsync(video.Id)).Status);
            Assert.True(await Polling.UntilAsync(async () => (await JobAsync(app, video.Id)).State == "complete", TimeSpan.FromSeconds(30)));
            Assert.Equal(1, (await JobAsync(app, video.Id)).Attempts);
        }
    }

    private static async Task<(string State, long Attempts, string? Error)> JobAsync(MediaryApp app, string mediaId)
    {
        await using var connection = await app.Database.OpenAsync();
        return await connection.QuerySingleAsync<(string, long, string?)>(
            "SELECT state, attempts, last_error FROM media_jobs WHERE subject = @id", new { id = mediaId });
    }
}
