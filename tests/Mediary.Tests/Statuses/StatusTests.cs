using System.Net;
using System.Text;
using System.Text.Json;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Statuses;

/// <summary>Statuses that attach media, and the media lifecycle rules they bring (spec §5, §13).</summary>
public sealed class StatusTests(MediaryApp app) : IClassFixture<MediaryApp>
{
    private static async Task<Answer> PostStatusAsync(User user, string? text, IEnumerable<string> mediaIds, string? idempotencyKey = null)
    {
        var fields = new List<KeyValuePair<string, string>>();
        if (text is not null) fields.Add(new("status", text));
        fields.AddRange(mediaIds.Select(id => new KeyValuePair<string, string>("media_ids[]", id)));
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/statuses") { Content = new FormUrlEncodedContent(fields) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await Answer.FromAsync(await user.Client.SendAsync(request));
    }

    private static async Task<string> UploadAsync(User user, string fixture = "600x400.jpg") =>
        (await user.UploadAsync(Fixtures.Path(fixture), "v1")).Id;

    [Fact]
    public async Task A_status_attaches_media_in_the_order_given_and_reads_back()
    {
        var user = await app.NewUserAsync();
        var first = await UploadAsync(user, "600x400.png");
        var second = await UploadAsync(user);
        var posted = await PostStatusAsync(user, "Two <pictures>", [first, second]);
        Assert.Equal(HttpStatusCode.OK, posted.Status);
        Assert.Equal("<p>Two &lt;pictures&gt;</p>", posted.Json.GetProperty("content").GetString());
        Assert.Equal([first, second], posted.Json.GetProperty("media_attachments").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
        Assert.Equal(user.Account.Username, posted.Json.GetProperty("account").GetProperty("username").GetString());
        foreach (var field in new[] { "in_reply_to_id", "reblog", "poll", "card", "edited_at" })
        {
            Assert.Equal(JsonValueKind.Null, posted.Json.GetProperty(field).ValueKind);
        }

        var read = await Answer.FromAsync(await user.Client.GetAsync($"/api/v1/statuses/{posted.Id}"));
        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Equal(posted.Body, read.Body);
    }

    [Theory]
    [InlineData("public", true)]
    [InlineData("unlisted", true)]
    [InlineData("private", false)]
    [InlineData("direct", false)]
    public async Task Another_account_reads_a_status_only_when_its_visibility_lets_anyone(string visibility, bool readable)
    {
        var author = await app.NewUserAsync();
        using var form = new FormUrlEncodedContent([new("status", "Only for some"), new("visibility", visibility)]);
        var posted = await Answer.FromAsync(await author.Client.PostAsync("/api/v1/statuses", form));
        Assert.Equal(HttpStatusCode.OK, posted.Status);
        Assert.Equal(visibility, posted.Json.GetProperty("visibility").GetString());
        Assert.Equal(HttpStatusCode.OK, (await author.Client.GetAsync($"/api/v1/statuses/{posted.Id}")).StatusCode);

        var stranger = await app.NewUserAsync();
        var read = await Answer.FromAsync(await stranger.Client.GetAsync($"/api/v1/statuses/{posted.Id}"));
        if (readable) Assert.Equal(posted.Body, read.Body);
        else read.AssertError(HttpStatusCode.NotFound, "Record not found");
    }

    [Fact]
    public async Task Attached_media_cannot_be_fetched_edited_or_deleted_through_the_media_api()
    {
        var user = await app.NewUserAsync();
        var media = await UploadAsync(user);
        Assert.Equal(HttpStatusCode.OK, (await PostStatusAsync(user, "", [media])).Status);

        Assert.Equal(HttpStatusCode.NotFound, (await user.GetMediaAsync(media)).Status);
        var put = await user.Client.PutAsync($"/api/v1/media/{media}", new FormUrlEncodedContent([new("description", "x")]));
        Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
        var delete = await Answer.FromAsync(await user.Client.DeleteAsync($"/api/v1/media/{media}"));
        delete.AssertError(HttpStatusCode.UnprocessableEntity, "Media attachment is currently used by a status");
    }

    [Fact]
    public async Task Each_media_check_answers_Mastodons_message_in_Mastodons_order()
    {
        var user = await app.NewUserAsync();
        var images = new List<string>();
        for (var i = 0; i < 5; i++) images.Add(await UploadAsync(user));

        Assert.Equal("Cannot attach more than 4 files", (await PostStatusAsync(user, "x", images)).Error);
        Assert.Equal("Media 999 not found or already attached to another post", (await PostStatusAsync(user, "x", [images[0], "999"])).Error);

        var other = await app.NewUserAsync();
        var foreign = await UploadAsync(other);
        Assert.Equal($"Media {foreign} not found or already attached to another post", (await PostStatusAsync(user, "x", [foreign])).Error);

        var video = await UploadAsync(user, "webm-with-audio.webm");
        Assert.Equal("Cannot attach a video to a post that already contains images", (await PostStatusAsync(user, "x", [images[1], video])).Error);

        var processing = await user.UploadAsync(LongVideo.Path720p);
        Assert.Equal(HttpStatusCode.Accepted, processing.Status);
        var notReady = await PostStatusAsync(user, "x", [processing.Id]);
        notReady.AssertError(HttpStatusCode.UnprocessableEntity, "Cannot attach files that have not finished processing. Try again in a moment!");

        Assert.Equal("Validation failed: Text can't be blank", (await PostStatusAsync(user, "", [])).Error);
        // A gifv counts as an image: it may go with pictures.
        var gifv = await UploadAsync(user, "silent.mp4");
        Assert.Equal(HttpStatusCode.OK, (await PostStatusAsync(user, "", [images[2], gifv])).Status);
    }

    [Fact]
    public async Task Deleting_a_status_is_a_redraft_unless_delete_media_is_true()
    {
        var user = await app.NewUserAsync();
        var kept = await UploadAsync(user);
        var status = await PostStatusAsync(user, "redraft me", [kept]);
        Assert.Equal(HttpStatusCode.OK, (await user.Client.DeleteAsync($"/api/v1/statuses/{status.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await user.Client.GetAsync($"/api/v1/statuses/{status.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await user.GetMediaAsync(kept)).Status);

        var gone = await user.UploadAsync(Fixtures.Path("600x400.jpg"));
        var second = await PostStatusAsync(user, "delete all", [gone.Id]);
        Assert.Equal(HttpStatusCode.OK, (await user.Client.DeleteAsync($"/api/v1/statuses/{second.Id}?delete_media=true")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await user.GetMediaAsync(gone.Id)).Status);
        Assert.False(await app.IsStoredAsync(gone.Url));
        Assert.False(await app.IsStoredAsync(gone.PreviewUrl));
    }

    [Fact]
    public async Task An_idempotent_retry_returns_the_first_status()
    {
        var user = await app.NewUserAsync();
        var media = await UploadAsync(user);
        var first = await PostStatusAsync(user, "once", [media], idempotencyKey: "retry-1");
        var again = await PostStatusAsync(user, "once", [media], idempotencyKey: "retry-1");
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(first.Id, again.Id);
        var different = await PostStatusAsync(user, "twice", [], idempotencyKey: "retry-2");
        Assert.NotEqual(first.Id, different.Id);
    }

    [Fact]
    public async Task Editing_a_status_replaces_its_media_and_edits_attached_media_attributes()
    {
        var user = await app.NewUserAsync();
        var first = await UploadAsync(user);
        var second = await UploadAsync(user, "600x400.png");
        var status = await PostStatusAsync(user, "edit me", [first]);

        var body = JsonSerializer.Serialize(new
        {
            status = "edited",
            media_ids = new[] { second },
            media_attributes = new[] { new { id = second, description = "now described", focus = "0.5,0.5" } },
        });
        var edited = await Answer.FromAsync(await user.Client.PutAsync($"/api/v1/statuses/{status.Id}", new StringContent(body, Encoding.UTF8, "application/json")));
        Assert.Equal(HttpStatusCode.OK, edited.Status);
        Assert.Equal("<p>edited</p>", edited.Json.GetProperty("content").GetString());
        Assert.NotEqual(JsonValueKind.Null, edited.Json.GetProperty("edited_at").ValueKind);
        var attachment = Assert.Single(edited.Json.GetProperty("media_attachments").EnumerateArray());
        Assert.Equal(second, attachment.GetProperty("id").GetString());
        Assert.Equal("now described", attachment.GetProperty("description").GetString());
        // The media dropped from the status is unattached again.
        Assert.Equal(HttpStatusCode.OK, (await user.GetMediaAsync(first)).Status);
    }

    [Fact]
    public async Task A_thumbnail_in_media_attributes_replaces_an_attached_videos_preview()
    {
        var user = await app.NewUserAsync();
        var video = await user.UploadAsync(Fixtures.Path("webm-with-audio.webm"), "v1");
        var status = await PostStatusAsync(user, "with a video", [video.Id]);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(video.Id), "media_attributes[][id]" },
            { new StringContent("cover chosen"), "media_attributes[][description]" },
            { new StreamContent(File.OpenRead(Fixtures.Path("600x400.png"))), "media_attributes[][thumbnail]", "cover.png" },
        };
        var edited = await Answer.FromAsync(await user.Client.PutAsync($"/api/v1/statuses/{status.Id}", form));
        Assert.Equal(HttpStatusCode.OK, edited.Status);
        var attachment = Assert.Single(edited.Json.GetProperty("media_attachments").EnumerateArray());
        Assert.Equal("cover chosen", attachment.GetProperty("description").GetString());
        var preview = attachment.GetProperty("preview_url").GetString()!;
        Assert.Contains("/thumbnails/", preview);
        Assert.Equal((588, 392), Tools.ImageSize(await app.StoredFileAsync(preview)));
        Assert.True(attachment.GetProperty("meta").TryGetProperty("colors", out _));
        // The uploaded thumbnail's temporary file is gone (a video job of another test may still
        // be writing its own output there, hence the pattern).
        Assert.Empty(Directory.GetFiles(Path.Combine(app.DataDirectory, "tmp"), "*.upload"));
    }

    [Fact]
    public async Task Account_endpoints_answer_valid_accounts()
    {
        var user = await app.NewUserAsync();
        var me = await Answer.FromAsync(await user.Client.GetAsync("/api/v1/accounts/verify_credentials"));
        Assert.Equal(HttpStatusCode.OK, me.Status);
        Assert.Equal(user.Account.Id.ToString(), me.Json.GetProperty("id").GetString());
        Assert.Equal(user.Account.Username, me.Json.GetProperty("acct").GetString());
        Assert.Equal("public", me.Json.GetProperty("source").GetProperty("privacy").GetString());
        var byId = await Answer.FromAsync(await user.Client.GetAsync($"/api/v1/accounts/{user.Account.Id}"));
        Assert.Equal(HttpStatusCode.OK, byId.Status);
        Assert.False(byId.Json.TryGetProperty("source", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await user.Client.GetAsync("/api/v1/accounts/12345")).StatusCode);
    }
}
