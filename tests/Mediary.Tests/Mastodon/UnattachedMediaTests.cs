using System.Net;
using System.Text.Json;
using Mediary.Media;
using Mediary.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Mediary.Tests.Mastodon;

/// <summary>GET /api/v1/mediary/media: the account's media no status attaches, filtered and paged as Mastodon pages.</summary>
public sealed class UnattachedMediaTests(MediaryApp app) : IClassFixture<MediaryApp>
{
    private const string Listing = "/api/v1/mediary/media";

    private static async Task<string> UploadAsync(User user, string fixture = "600x400.jpg")
    {
        var answer = await user.UploadAsync(Fixtures.Path(fixture), "v1");
        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        return answer.Id;
    }

    private static async Task<Answer> PostStatusAsync(User user, params string[] mediaIds) =>
        await Answer.FromAsync(await user.Client.PostAsync("/api/v1/statuses",
            new FormUrlEncodedContent(mediaIds.Select(id => new KeyValuePair<string, string>("media_ids[]", id)))));

    [Fact]
    public async Task Lists_the_accounts_unattached_media_newest_first_as_get_media_shows_them_and_attached_ones_leave_it()
    {
        var user = await app.NewUserAsync();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++) ids.Add(await UploadAsync(user));
        await UploadAsync(await app.NewUserAsync()); // another account's

        var page = await Page.GetAsync(user, Listing);
        Assert.Equal([ids[2], ids[1], ids[0]], page.Ids);
        foreach (var item in page.Items) Assert.Equal((await user.GetMediaAsync(item.GetProperty("id").GetString()!)).Body, item.GetRawText());

        var status = await PostStatusAsync(user, ids[1]);
        Assert.Equal(HttpStatusCode.OK, status.Status);
        Assert.Equal([ids[2], ids[0]], (await Page.GetAsync(user, Listing)).Ids);

        // Deleting the status without its media is a redraft: they are unattached again.
        Assert.Equal(HttpStatusCode.OK, (await user.Client.DeleteAsync($"/api/v1/statuses/{status.Id}")).StatusCode);
        Assert.Equal([ids[2], ids[1], ids[0]], (await Page.GetAsync(user, Listing)).Ids);
        Assert.Equal(HttpStatusCode.OK, (await user.Client.DeleteAsync($"/api/v1/media/{ids[0]}")).StatusCode);
        Assert.Equal([ids[2], ids[1]], (await Page.GetAsync(user, Listing)).Ids);
    }

    [Fact]
    public async Task Pages_follow_the_Link_header_and_keep_the_filters()
    {
        var user = await app.NewUserAsync();
        var images = new List<string>();
        for (var i = 0; i < 5; i++) images.Add(await UploadAsync(user));
        var audio = await UploadAsync(user, "audio.mp3");
        var newestFirst = Enumerable.Reverse(images).ToList();

        var first = await Page.GetAsync(user, $"{Listing}?type=image&limit=2");
        Assert.Equal(newestFirst[..2], first.Ids);
        Assert.Equal($"<http://localhost{Listing}?limit=2&max_id={newestFirst[1]}&type=image>; rel=\"next\", " +
            $"<http://localhost{Listing}?limit=2&min_id={newestFirst[0]}&type=image>; rel=\"prev\"", first.Link);
        var (all, pages) = await Page.FollowAsync(user, $"{Listing}?type=image&limit=2");
        Assert.Equal(newestFirst, all);
        Assert.Equal(3, pages);

        Assert.Equal([audio, newestFirst[0]], (await Page.GetAsync(user, $"{Listing}?since_id={images[3]}")).Ids);
        Assert.Equal([images[2], images[1]], (await Page.GetAsync(user, $"{Listing}?min_id={images[0]}&limit=2")).Ids);
    }

    [Fact]
    public async Task Type_keeps_one_kind_of_media_and_an_unknown_type_or_state_is_422()
    {
        var user = await app.NewUserAsync();
        var image = await UploadAsync(user);
        var gifv = await UploadAsync(user, "silent.mp4");
        var video = await UploadAsync(user, "quicktime.mov");
        var audio = await UploadAsync(user, "audio.mp3");

        Assert.Equal([image], (await Page.GetAsync(user, $"{Listing}?type=image")).Ids);
        Assert.Equal([gifv], (await Page.GetAsync(user, $"{Listing}?type=gifv")).Ids);
        Assert.Equal([video], (await Page.GetAsync(user, $"{Listing}?type=video")).Ids);
        Assert.Equal([audio], (await Page.GetAsync(user, $"{Listing}?type=audio")).Ids);
        Assert.Equal(4, (await Page.GetAsync(user, $"{Listing}?type=")).Items.Count);

        (await Answer.FromAsync(await user.Client.GetAsync($"{Listing}?type=document")))
            .AssertError(HttpStatusCode.UnprocessableEntity, "Validation failed: Type is not included in the list");
        (await Answer.FromAsync(await user.Client.GetAsync($"{Listing}?state=done")))
            .AssertError(HttpStatusCode.UnprocessableEntity, "Validation failed: State is not included in the list");
    }

    [Fact]
    public async Task State_tells_processing_ready_and_failed_media_apart()
    {
        var user = await app.NewUserAsync();
        var ready = await UploadAsync(user);
        var failed = await UploadAsync(user, "silent.mp4");
        // The state a job that failed for good leaves (a real one: DurabilityTests, MastodonWebhookJobFailureTests).
        await app.Services.GetRequiredService<MediaRepository>().SetProcessingAsync(long.Parse(failed), ProcessingStates.Failed, "ffmpeg failed");
        (await user.GetMediaAsync(failed)).AssertError(HttpStatusCode.UnprocessableEntity, "Error processing thumbnail for uploaded media");

        var accepted = await user.UploadAsync(LongVideo.Path720p);
        Assert.Equal(HttpStatusCode.Accepted, accepted.Status);
        using (await FrozenTranscode.WaitAsync(Path.Combine(app.DataDirectory, "tmp"), TimeSpan.FromSeconds(60)))
        {
            var processing = await Page.GetAsync(user, $"{Listing}?state=processing");
            Assert.Equal([accepted.Id], processing.Ids);
            Assert.Equal(JsonValueKind.Null, processing.Items[0].GetProperty("url").ValueKind);
            Assert.Equal([ready], (await Page.GetAsync(user, $"{Listing}?state=ready")).Ids);
            var failures = await Page.GetAsync(user, $"{Listing}?state=failed");
            Assert.Equal([failed], failures.Ids);
            Assert.Equal(JsonValueKind.Null, failures.Items[0].GetProperty("url").ValueKind);
            Assert.Equal([accepted.Id, failed, ready], (await Page.GetAsync(user, Listing)).Ids);
        }

        Assert.Equal(HttpStatusCode.OK, (await user.WaitUntilProcessedAsync(accepted.Id)).Status);
        Assert.Empty((await Page.GetAsync(user, $"{Listing}?state=processing")).Items);
        Assert.Equal([accepted.Id, ready], (await Page.GetAsync(user, $"{Listing}?state=ready")).Ids);
        Assert.Equal([accepted.Id], (await Page.GetAsync(user, $"{Listing}?state=ready&type=video")).Ids);
    }

    [Fact]
    public async Task A_token_needs_read_write_or_write_media()
    {
        foreach (var scope in new[] { "read", "write", "write:media" })
        {
            var user = await app.NewUserAsync(scope);
            Assert.Empty((await Page.GetAsync(user, Listing)).Items);
        }
        var statuses = await app.NewUserAsync("read:statuses");
        (await Answer.FromAsync(await statuses.Client.GetAsync(Listing)))
            .AssertError(HttpStatusCode.Forbidden, "This action is outside the authorized scopes");
    }
}
