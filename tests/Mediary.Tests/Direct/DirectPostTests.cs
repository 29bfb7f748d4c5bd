using Microsoft.Extensions.DependencyInjection;
using System.Net.Http.Json;
using System.Net;
using System.Text.Json;
using Mediary.Media;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Direct;

/// <summary>Posts, listing and deleting on the direct face, and its separation from the Mastodon face.</summary>
public sealed class DirectPostTests(MediaryApp app) : IClassFixture<MediaryApp>
{
    [Fact]
    public async Task A_post_takes_ready_media_which_then_cannot_be_deleted_until_the_post_is_gone()
    {
        var user = await app.NewDirectUserAsync();
        var image = await user.UploadDirectAsync(Fixtures.Path("600x400.jpg"), "image/jpeg");
        var created = await user.PostAsync(new { content = "Hello", media_ids = new[] { image.MediaId } });

        Assert.Equal(HttpStatusCode.Created, created.Status);
        var postId = created.Data.GetProperty("id").GetString()!;
        Assert.Equal(["id", "content", "media_ids", "created_at"], created.Data.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Hello", created.Data.GetProperty("content").GetString());
        Assert.Equal([image.MediaId], created.Data.GetProperty("media_ids").EnumerateArray().Select(e => e.GetString()));
        var fetched = await DirectAnswer.FromAsync(await user.Client.GetAsync($"/v1/posts/{postId}"));
        Assert.Equal(created.Data.ToString(), fetched.Data.ToString());

        var inUse = await DirectAnswer.FromAsync(await user.Client.DeleteAsync($"/v1/media/{image.MediaId}"));
        Assert.Equal(HttpStatusCode.BadRequest, inUse.Status);
        Assert.Equal("media_in_use", inUse.ErrorCode);
        var again = await user.PostAsync(new { content = "twice", media_ids = new[] { image.MediaId } });
        Assert.Equal("validation_error", again.ErrorCode);

        Assert.Equal(HttpStatusCode.OK, (await DirectAnswer.FromAsync(await user.Client.DeleteAsync($"/v1/posts/{postId}"))).Status);
        Assert.Equal("not_found", (await DirectAnswer.FromAsync(await user.Client.GetAsync($"/v1/posts/{postId}"))).ErrorCode);
        var url = (await user.GetDirectMediaAsync(image.MediaId)).Data.GetProperty("url").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await DirectAnswer.FromAsync(await user.Client.DeleteAsync($"/v1/media/{image.MediaId}"))).Status);
        Assert.Equal("not_found", (await user.GetDirectMediaAsync(image.MediaId)).ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.FetchAsync(url)).StatusCode);
        Assert.False(await app.IsStoredAsync(url));
    }

    [Fact]
    public async Task A_post_with_a_video_still_processing_is_refused()
    {
        var user = await app.NewDirectUserAsync();
        var video = await user.UploadDirectAsync(LongVideo.Path720p, "video/quicktime");
        Assert.Equal("processing", video.MediaStatus);
        var answer = await user.PostAsync(new { content = "too soon", media_ids = new[] { video.MediaId } });
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("validation_error", answer.ErrorCode);
        Assert.Contains("processing", answer.ErrorMessage);

        Assert.Equal("ready", (await user.WaitUntilSettledAsync(video.MediaId)).MediaStatus);
        Assert.Equal(HttpStatusCode.Created, (await user.PostAsync(new { content = "now", media_ids = new[] { video.MediaId } })).Status);
    }

    [Theory]
    [InlineData("media")]
    [InlineData("media_id")]
    [InlineData("mediaId")]
    [InlineData("attachments")]
    [InlineData("url")]
    public async Task Media_sent_under_another_name_gets_a_did_you_mean_hint(string field)
    {
        var user = await app.NewDirectUserAsync();
        var answer = await user.PostAsync(new Dictionary<string, object> { ["content"] = "x", [field] = new[] { Guid.NewGuid().ToString() } });
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("invalid_field_name", answer.ErrorCode);
        Assert.Contains("did you mean media_ids?", answer.ErrorMessage);
        Assert.Equal(field, answer.Json.GetProperty("error").GetProperty("details").GetProperty("field").GetString());
    }

    [Fact]
    public async Task Another_accounts_media_cannot_be_seen_posted_or_deleted()
    {
        var owner = await app.NewDirectUserAsync();
        var stranger = await app.NewDirectUserAsync();
        var image = await owner.UploadDirectAsync(Fixtures.Path("600x400.jpg"), "image/jpeg");

        Assert.Equal("not_found", (await stranger.GetDirectMediaAsync(image.MediaId)).ErrorCode);
        Assert.Equal("not_found", (await stranger.CompleteAsync(image.MediaId)).ErrorCode);
        Assert.Equal("not_found", (await DirectAnswer.FromAsync(await stranger.Client.DeleteAsync($"/v1/media/{image.MediaId}"))).ErrorCode);
        Assert.Equal("validation_error", (await stranger.PostAsync(new { content = "mine", media_ids = new[] { image.MediaId } })).ErrorCode);
        Assert.Equal(0, (await stranger.Client.GetFromJsonAsync<JsonElement>("/v1/media")).GetProperty("data").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task The_mastodon_face_does_not_see_direct_media_of_the_same_account()
    {
        var user = await app.NewDirectUserAsync();
        var image = await user.UploadDirectAsync(Fixtures.Path("600x400.jpg"), "image/jpeg");
        var core = await app.Services.GetRequiredService<MediaRepository>().FindByDirectIdAsync(image.MediaId);
        Assert.NotNull(core);

        var token = await app.Services.GetRequiredService<Mediary.Auth.TokenStore>().CreateAsync(user.Account.Id, "read write");
        using var mastodon = app.CreateClient();
        mastodon.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.NotFound, (await mastodon.GetAsync($"/api/v1/media/{core.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await mastodon.DeleteAsync($"/api/v1/media/{core.Id}")).StatusCode);
        using var status = new FormUrlEncodedContent([new("status", "hi"), new("media_ids[]", core.Id.ToString())]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await mastodon.PostAsync("/api/v1/statuses", status)).StatusCode);
    }

    [Fact]
    public async Task The_list_filters_by_type_and_status_and_pages()
    {
        var user = await app.NewDirectUserAsync();
        await user.UploadDirectAsync(Fixtures.Path("600x400.jpg"), "image/jpeg");
        await user.UploadDirectAsync(Fixtures.Path("600x400.png"), "image/png");
        await user.UploadDirectAsync(Fixtures.Path("document.pdf"), "application/pdf");
        await user.DeclareFileAsync(Fixtures.Path("600x400.jpg"), "image/jpeg");

        async Task<JsonElement> List(string query) => (await DirectAnswer.FromAsync(await user.Client.GetAsync($"/v1/media{query}"))).Data;

        var all = await List("");
        Assert.Equal(4, all.GetProperty("total").GetInt32());
        Assert.Equal(20, all.GetProperty("limit").GetInt32());
        Assert.Equal(0, all.GetProperty("offset").GetInt32());
        Assert.Equal("pending_upload", all.GetProperty("items")[0].GetProperty("status").GetString());
        Assert.Equal(2, (await List("?type=image&status=ready")).GetProperty("total").GetInt32());
        Assert.Equal(1, (await List("?type=document")).GetProperty("items").GetArrayLength());
        var page = await List("?limit=2&offset=3");
        Assert.Equal(1, page.GetProperty("items").GetArrayLength());
        Assert.Equal("image/jpeg", page.GetProperty("items")[0].GetProperty("content_type").GetString());
        var bad = await DirectAnswer.FromAsync(await user.Client.GetAsync("/v1/media?limit=101"));
        Assert.Equal("validation_error", bad.ErrorCode);
    }

    [Fact]
    public async Task An_upload_whose_complete_is_under_way_is_processing_in_the_list_filter_as_it_reads()
    {
        var user = await app.NewDirectUserAsync();
        var declared = await user.DeclareFileAsync(Fixtures.Path("600x400.jpg"), "image/jpeg");
        async Task<(string Status, int Processing, int Pending)> Seen()
        {
            var one = (await DirectAnswer.FromAsync(await user.Client.GetAsync($"/v1/media/{declared.MediaId}"))).Data;
            async Task<int> Total(string status) =>
                (await DirectAnswer.FromAsync(await user.Client.GetAsync($"/v1/media?status={status}"))).Data.GetProperty("total").GetInt32();
            return (one.GetProperty("status").GetString()!, await Total("processing"), await Total("pending_upload"));
        }
        Assert.Equal(("pending_upload", 0, 1), await Seen());

        // A complete holds it, in this process or another, for as long as it verifies the bytes.
        var uploads = app.Services.GetRequiredService<Mediary.Direct.DirectMediaRepository>();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.True(await uploads.ClaimAsync(declared.MediaId, now, now + 60, CancellationToken.None));
        Assert.Equal(("processing", 1, 0), await Seen());

        await uploads.ReleaseAsync(declared.MediaId, CancellationToken.None);
        Assert.Equal(("pending_upload", 0, 1), await Seen());
    }
}
