using System.Net;
using Dapper;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Video;

/// <summary>
/// A job that fails because the media storage is away (an unmounted disk) says nothing about its
/// file: it waits for the storage and keeps its attempts, so an outage longer than the retries
/// does not fail users' videos.
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

    private static async Task<(string State, long Attempts, string? Error)> JobAsync(MediaryApp app, string mediaId)
    {
        await using var connection = await app.Database.OpenAsync();
        return await connection.QuerySingleAsync<(string, long, string?)>(
            "SELECT state, attempts, last_error FROM media_jobs WHERE media_id = @id", new { id = long.Parse(mediaId) });
    }
}
