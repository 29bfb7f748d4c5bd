using System.Net;
using System.Text.Json;
using Mediary.Media;
using Mediary.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Mediary.Tests.Mastodon;

/// <summary>
/// The admin API's job queue over HTTP, with a real ffmpeg: a video's transcode is killed mid-run,
/// so its only attempt fails (as a crashed ffmpeg does); a retry then transcodes it for real.
/// </summary>
public sealed class AdminJobTests(FailingJobAdminApp app) : IClassFixture<FailingJobAdminApp>
{
    private const string Admin = "/api/v1/mediary/admin";

    [Fact]
    public async Task A_failed_video_job_is_listed_with_its_error_retried_and_the_video_becomes_ready()
    {
        var (user, mediaId) = await FailedVideoAsync();
        var admin = await app.NewUserAsync("admin:read admin:write", admin: true);

        var job = await FailedJobOfAsync(admin, mediaId);
        Assert.Equal("media.process", job.GetProperty("kind").GetString());
        Assert.Equal(user.Account.Id.ToString(), job.GetProperty("account_id").GetString());
        Assert.Equal(1, job.GetProperty("attempts").GetInt64());
        Assert.Equal(1, job.GetProperty("max_attempts").GetInt64());
        Assert.Contains("ffmpeg", job.GetProperty("last_error").GetString());
        var jobId = job.GetProperty("id").GetString()!;
        // Not failed: not in the queued or running lists.
        Assert.DoesNotContain(await JobsAsync(admin, "queued"), queued => queued.GetProperty("id").GetString() == jobId);

        var retried = await Answer.FromAsync(await admin.Client.PostAsync($"{Admin}/jobs/{jobId}/retry", null));
        Assert.Equal(HttpStatusCode.OK, retried.Status);
        Assert.Equal(0, retried.Json.GetProperty("attempts").GetInt64());
        Assert.Contains(retried.Json.GetProperty("state").GetString(), new[] { "queued", "running" });

        var done = await user.WaitUntilProcessedAsync(mediaId, TimeSpan.FromMinutes(2));
        Assert.Equal(HttpStatusCode.OK, done.Status);
        Assert.EndsWith(".mp4", done.Url);
        Assert.Equal(HttpStatusCode.OK, (await app.FetchAsync(done.Url)).StatusCode);
        Assert.DoesNotContain(await JobsAsync(admin, "failed"), failed => failed.GetProperty("id").GetString() == jobId);
        // Its raw upload went with the success, as for any processed video.
        Assert.Empty(await app.StoredKeysAsync(SourcePrefix(mediaId)));

        // A job that is not failed cannot be retried or discarded; an unknown one is not found.
        (await Answer.FromAsync(await admin.Client.PostAsync($"{Admin}/jobs/{jobId}/retry", null))).AssertError(HttpStatusCode.UnprocessableEntity,
            "Only a failed job can be retried; this one is complete.");
        (await Answer.FromAsync(await admin.Client.PostAsync($"{Admin}/jobs/{jobId}/discard", null))).AssertError(HttpStatusCode.UnprocessableEntity,
            "Only a failed job can be discarded; this one is complete.");
        (await Answer.FromAsync(await admin.Client.PostAsync($"{Admin}/jobs/12345/retry", null))).AssertError(HttpStatusCode.NotFound, "Record not found");
    }

    [Fact]
    public async Task A_discarded_job_is_gone_and_its_media_stays_failed_without_its_raw_upload()
    {
        var (user, mediaId) = await FailedVideoAsync();
        var admin = await app.NewUserAsync("admin:read admin:write", admin: true);
        var jobId = (await FailedJobOfAsync(admin, mediaId)).GetProperty("id").GetString()!;
        Assert.NotEmpty(await app.StoredKeysAsync(SourcePrefix(mediaId)));

        var discarded = await Answer.FromAsync(await admin.Client.PostAsync($"{Admin}/jobs/{jobId}/discard", null));
        Assert.Equal(HttpStatusCode.OK, discarded.Status);
        Assert.Equal("{}", discarded.Body);

        Assert.DoesNotContain(await JobsAsync(admin, null), listed => listed.GetProperty("id").GetString() == jobId);
        (await user.GetMediaAsync(mediaId)).AssertError(HttpStatusCode.UnprocessableEntity, "Error processing thumbnail for uploaded media");
        Assert.Empty(await app.StoredKeysAsync(SourcePrefix(mediaId)));
        (await Answer.FromAsync(await admin.Client.PostAsync($"{Admin}/jobs/{jobId}/retry", null))).AssertError(HttpStatusCode.NotFound, "Record not found");
    }

    [Fact]
    public async Task A_failed_media_keeps_its_raw_upload_for_the_retention_and_then_loses_it_and_cannot_be_retried()
    {
        var (user, mediaId) = await FailedVideoAsync();
        var admin = await app.NewUserAsync("admin:read admin:write", admin: true);
        var jobId = (await FailedJobOfAsync(admin, mediaId)).GetProperty("id").GetString()!;
        var retention = app.Services.GetRequiredService<FailedSourceRetention>();

        // Within Vacuum:FailedSourceRetentionHours (24 by default) the vacuum keeps it.
        app.Clock.Advance(TimeSpan.FromHours(23));
        await retention.RunAsync(TestContext.Current.CancellationToken);
        Assert.NotEmpty(await app.StoredKeysAsync(SourcePrefix(mediaId)));

        app.Clock.Advance(TimeSpan.FromHours(2));
        await retention.RunAsync(TestContext.Current.CancellationToken);
        Assert.Empty(await app.StoredKeysAsync(SourcePrefix(mediaId)));
        (await user.GetMediaAsync(mediaId)).AssertError(HttpStatusCode.UnprocessableEntity, "Error processing thumbnail for uploaded media");
        (await Answer.FromAsync(await admin.Client.PostAsync($"{Admin}/jobs/{jobId}/retry", null))).AssertError(HttpStatusCode.UnprocessableEntity,
            FailedMediaRetries.SourceGone);
        // Still listed as failed, for the operator to discard.
        Assert.Equal(jobId, (await FailedJobOfAsync(admin, mediaId)).GetProperty("id").GetString());
    }

    [Fact]
    public async Task The_job_list_refuses_an_unknown_state()
    {
        var admin = await app.NewUserAsync("admin:read", admin: true);
        (await Answer.FromAsync(await admin.Client.GetAsync($"{Admin}/jobs?state=complete"))).AssertError(HttpStatusCode.UnprocessableEntity,
            "Validation failed: State must be one of queued, running, failed");
    }

    /// <summary>A video uploaded through v2 whose only transcode attempt is killed: the media answers 422 once its job failed.</summary>
    private async Task<(User User, string MediaId)> FailedVideoAsync()
    {
        var user = await app.NewUserAsync();
        var accepted = await user.UploadAsync(LongVideo.Path720p);
        Assert.Equal(HttpStatusCode.Accepted, accepted.Status);
        using (var transcode = await FrozenTranscode.WaitAsync(Path.Combine(app.DataDirectory, "tmp"), TimeSpan.FromSeconds(60)))
        {
            transcode.Kill();
        }
        var failed = await user.WaitUntilProcessedAsync(accepted.Id, TimeSpan.FromMinutes(1));
        failed.AssertError(HttpStatusCode.UnprocessableEntity, "Error processing thumbnail for uploaded media");
        return (user, accepted.Id);
    }

    private static string SourcePrefix(string mediaId) => $"pending/{MediaKeys.IdPartition(long.Parse(mediaId))}/";

    private static async Task<JsonElement> FailedJobOfAsync(User admin, string mediaId)
    {
        var failed = await JobsAsync(admin, "failed");
        var job = Assert.Single(failed, job => job.GetProperty("media_id").GetString() == mediaId);
        Assert.Equal("failed", job.GetProperty("state").GetString());
        Assert.Equal(mediaId, job.GetProperty("subject").GetString());
        return job;
    }

    private static async Task<List<JsonElement>> JobsAsync(User admin, string? state)
    {
        var answer = await Answer.FromAsync(await admin.Client.GetAsync($"{Admin}/jobs{(state is null ? "" : "?state=" + state)}"));
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        return [.. answer.Json.EnumerateArray()];
    }
}
