using System.Net;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Mastodon;

/// <summary>GET /api/v1/accounts/:id/statuses as Mastodon answers it: newest first, filtered, paged with Link headers.</summary>
public sealed class AccountStatusesTests(MediaryApp app) : IClassFixture<MediaryApp>
{
    private static async Task<string> PostAsync(User user, string text, string visibility = "public", params string[] mediaIds)
    {
        var fields = new List<KeyValuePair<string, string>> { new("status", text), new("visibility", visibility) };
        fields.AddRange(mediaIds.Select(id => new KeyValuePair<string, string>("media_ids[]", id)));
        var posted = await Answer.FromAsync(await user.Client.PostAsync("/api/v1/statuses", new FormUrlEncodedContent(fields)));
        Assert.True(posted.Status == HttpStatusCode.OK, posted.ToString());
        return posted.Id;
    }

    /// <summary>Posts <paramref name="count"/> statuses; their ids, oldest first.</summary>
    private static async Task<List<string>> PostManyAsync(User user, int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++) ids.Add(await PostAsync(user, $"Status {i}"));
        return ids;
    }

    private static string Path(User user, string query = "") => $"/api/v1/accounts/{user.Account.Id}/statuses{query}";

    [Fact]
    public async Task Pages_follow_the_Link_header_from_the_newest_to_the_oldest_as_Mastodon_builds_it()
    {
        var user = await app.NewUserAsync();
        var posted = await PostManyAsync(user, 5);
        var newestFirst = Enumerable.Reverse(posted).ToList();

        var first = await Page.GetAsync(user, Path(user, "?limit=2"));
        Assert.Equal(newestFirst[..2], first.Ids);
        var site = $"http://localhost/api/v1/accounts/{user.Account.Id}/statuses";
        Assert.Equal($"<{site}?limit=2&max_id={newestFirst[1]}>; rel=\"next\", <{site}?limit=2&min_id={newestFirst[0]}>; rel=\"prev\"", first.Link);

        var (all, pages) = await Page.FollowAsync(user, Path(user, "?limit=2"));
        Assert.Equal(newestFirst, all);
        Assert.Equal(3, pages);
        var last = await Page.GetAsync(user, Path(user, $"?limit=2&max_id={newestFirst[3]}"));
        Assert.Equal([newestFirst[4]], last.Ids);
        Assert.Null(last.Next); // not a full page
        Assert.Equal($"{site}?limit=2&min_id={newestFirst[4]}", last.Prev);

        // Past the oldest: nothing, and no Link at all.
        var beyond = await Page.GetAsync(user, Path(user, $"?max_id={posted[0]}"));
        Assert.Empty(beyond.Items);
        Assert.Null(beyond.Link);
    }

    [Fact]
    public async Task Since_id_gives_the_newest_after_it_and_min_id_the_oldest_after_it_both_newest_first()
    {
        var user = await app.NewUserAsync();
        var s = await PostManyAsync(user, 5);

        Assert.Equal([s[4], s[3]], (await Page.GetAsync(user, Path(user, $"?since_id={s[0]}&limit=2"))).Ids);
        var min = await Page.GetAsync(user, Path(user, $"?min_id={s[0]}&limit=2"));
        Assert.Equal([s[2], s[1]], min.Ids);
        Assert.Equal([s[2], s[1]], (await Page.GetAsync(user, Path(user, $"?min_id={s[0]}&max_id={s[3]}"))).Ids);
        // min_id wins over since_id, as in Mastodon's paginate_by_id.
        Assert.Equal([s[2], s[1]], (await Page.GetAsync(user, Path(user, $"?min_id={s[0]}&since_id={s[3]}&limit=2"))).Ids);

        // A client polling for newer statuses follows rel="prev".
        var newer = await Page.GetAsync(user, min.Prev!);
        Assert.Equal([s[4], s[3]], newer.Ids);
        Assert.Empty((await Page.GetAsync(user, newer.Prev!)).Items);
    }

    [Fact]
    public async Task Only_media_keeps_the_statuses_with_media_rendered_as_get_status_renders_them_and_the_Link_keeps_the_filter()
    {
        var user = await app.NewUserAsync();
        var older = await PostAsync(user, "One picture", "public", (await user.UploadAsync(Fixtures.Path("600x400.webp"), "v1")).Id);
        var first = (await user.UploadAsync(Fixtures.Path("600x400.png"), "v1")).Id;
        var second = (await user.UploadAsync(Fixtures.Path("600x400.jpg"), "v1")).Id;
        var withMedia = await PostAsync(user, "Two pictures", "public", first, second);
        await PostAsync(user, "Only words");

        Assert.Equal(3, (await Page.GetAsync(user, Path(user))).Items.Count);
        var page = await Page.GetAsync(user, Path(user, "?only_media=true&limit=1"));
        Assert.Equal([withMedia], page.Ids);
        var item = page.Items[0];
        Assert.Equal([first, second], item.GetProperty("media_attachments").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
        var single = await Answer.FromAsync(await user.Client.GetAsync($"/api/v1/statuses/{withMedia}"));
        Assert.Equal(single.Body, item.GetRawText());
        Assert.Contains("only_media=true", page.Next);

        var next = await Page.GetAsync(user, page.Next!);
        Assert.Equal([older], next.Ids);
        Assert.Equal([withMedia, older], (await Page.GetAsync(user, Path(user, "?only_media=1"))).Ids);
        // Rails' booleans: 0, false and empty are false.
        Assert.Equal(3, (await Page.GetAsync(user, Path(user, "?only_media=false"))).Items.Count);
        Assert.Equal(3, (await Page.GetAsync(user, Path(user, "?only_media="))).Items.Count);
    }

    [Fact]
    public async Task Another_user_sees_public_and_unlisted_statuses_and_the_author_sees_all()
    {
        var author = await app.NewUserAsync();
        var ids = new Dictionary<string, string>();
        foreach (var visibility in new[] { "public", "unlisted", "private", "direct" }) ids[visibility] = await PostAsync(author, visibility, visibility);

        Assert.Equal([ids["direct"], ids["private"], ids["unlisted"], ids["public"]], (await Page.GetAsync(author, Path(author))).Ids);
        var stranger = await app.NewUserAsync();
        var seen = await Page.GetAsync(stranger, Path(author));
        Assert.Equal([ids["unlisted"], ids["public"]], seen.Ids);
        Assert.All(seen.Items, item => Assert.Equal(author.Account.Username, item.GetProperty("account").GetProperty("username").GetString()));
        Assert.Empty((await Page.GetAsync(stranger, Path(stranger))).Items);
    }

    [Theory]
    [InlineData("999")]
    [InlineData("abc")]
    public async Task An_unknown_account_is_404_record_not_found(string id)
    {
        var user = await app.NewUserAsync();
        (await Answer.FromAsync(await user.Client.GetAsync($"/api/v1/accounts/{id}/statuses"))).AssertError(HttpStatusCode.NotFound, "Record not found");
    }

    [Fact]
    public async Task Pinned_and_tagged_find_nothing_and_exclude_replies_and_reblogs_change_nothing()
    {
        var user = await app.NewUserAsync();
        var posted = await PostManyAsync(user, 2);
        var pinned = await Page.GetAsync(user, Path(user, "?pinned=true"));
        Assert.Empty(pinned.Items);
        Assert.Null(pinned.Link);
        Assert.Empty((await Page.GetAsync(user, Path(user, "?tagged=photography"))).Items);
        Assert.Equal(2, (await Page.GetAsync(user, Path(user, "?pinned=false&tagged="))).Items.Count);

        var page = await Page.GetAsync(user, Path(user, "?exclude_replies=true&exclude_reblogs=true&limit=1"));
        Assert.Equal([posted[1]], page.Ids);
        var site = $"http://localhost/api/v1/accounts/{user.Account.Id}/statuses";
        Assert.Equal($"{site}?exclude_reblogs=true&exclude_replies=true&limit=1&max_id={posted[1]}", page.Next);
    }

    [Fact]
    public async Task Limit_defaults_to_20_caps_at_40_and_counts_a_negative_one_as_positive()
    {
        var user = await app.NewUserAsync();
        await PostManyAsync(user, 41);
        Assert.Equal(20, (await Page.GetAsync(user, Path(user))).Items.Count);
        var capped = await Page.GetAsync(user, Path(user, "?limit=100"));
        Assert.Equal(40, capped.Items.Count);
        Assert.Contains("limit=100&max_id=", capped.Next); // the Link carries the limit as asked, as Mastodon's does
        var negative = await Page.GetAsync(user, Path(user, "?limit=-3"));
        Assert.Equal(3, negative.Items.Count);
        Assert.NotNull(negative.Next);
    }

    [Fact]
    public async Task A_token_needs_read_or_read_statuses()
    {
        var author = await app.NewUserAsync();
        await PostAsync(author, "Hello");
        var granular = await app.NewUserAsync("read:statuses");
        Assert.Single((await Page.GetAsync(granular, Path(author))).Items);
        var writer = await app.NewUserAsync("write");
        (await Answer.FromAsync(await writer.Client.GetAsync(Path(author))))
            .AssertError(HttpStatusCode.Forbidden, "This action is outside the authorized scopes");
    }
}
