using System.Net;
using System.Net.Http.Headers;
using Dapper;
using Mediary.Auth;
using Mediary.Data;
using Mediary.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Mediary.Tests.Data;

/// <summary>
/// A database and media directory as the version before one core was written them, on either
/// engine (PostgreSQL numbered its migrations apart then): Mastodon media, a queued video job,
/// direct uploads (an image handed to the core, a PDF the direct face kept itself, a video a job
/// of the old kind still verifies) and a post. The new version migrates it on start and it keeps
/// working.
/// </summary>
public sealed class UpgradeTests : IAsyncLifetime
{
    private readonly UpgradedApp _app = new();

    public ValueTask InitializeAsync() => _app.InitializeAsync();

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task Media_posts_and_queued_jobs_written_before_the_upgrade_keep_working_after_it()
    {
        var old = _app.Old;
        var tokens = _app.Services.GetRequiredService<TokenStore>();
        var mastodon = _app.CreateClient();
        mastodon.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.CreateAsync(old.AccountId, "read write"));
        var direct = new DirectUser(new Account(old.AccountId, "old", ""), "", _app.CreateClient());
        direct.Client.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Bearer", await tokens.CreateAsync(old.AccountId, Mediary.Direct.DirectApiMiddleware.KeyScope));

        await using (var connection = await _app.Database.OpenAsync())
        {
            Assert.Equal(Schema.Latest, _app.Database.PostgresConnectionString is null
                ? await connection.ExecuteScalarAsync<int>("PRAGMA user_version")
                : await connection.ExecuteScalarAsync<int>("SELECT MAX(version) FROM schema_migrations"));
        }

        // The Mastodon image, as it was; the video queued before the upgrade is processed after it.
        var image = await mastodon.GetAsync($"/api/v1/media/{old.ImageId}");
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Contains(old.ImageKey, await image.Content.ReadAsStringAsync());
        Assert.True(await Polling.UntilAsync(async () => (await mastodon.GetAsync($"/api/v1/media/{old.VideoId}")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(90)), "the video queued before the upgrade was not processed");
        // Its upload, before the upgrade, left no first-frame preview: the job made it.
        var video = System.Text.Json.JsonDocument.Parse(await mastodon.GetStringAsync($"/api/v1/media/{old.VideoId}")).RootElement;
        Assert.Equal(System.Text.Json.JsonValueKind.String, video.GetProperty("preview_url").ValueKind);
        Assert.Equal(HttpStatusCode.OK, (await _app.FetchAsync(video.GetProperty("preview_url").GetString()!)).StatusCode);
        Assert.False(string.IsNullOrEmpty(video.GetProperty("blurhash").GetString()));

        // The direct image and PDF are ready as before; the PDF's files are where they were.
        Assert.Equal("ready", (await direct.GetDirectMediaAsync(old.DirectImageId)).MediaStatus);
        var pdf = await direct.GetDirectMediaAsync(old.DocumentId);
        Assert.Equal("ready", pdf.MediaStatus);
        Assert.Equal("document", pdf.Data.GetProperty("type").GetString());
        Assert.Equal(1, pdf.Data.GetProperty("page_count").GetInt32());
        Assert.Equal("application/pdf", pdf.Data.GetProperty("content_type").GetString());
        var served = await _app.FetchAsync(pdf.Data.GetProperty("url").GetString()!);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(File.ReadAllBytes(Fixtures.Path("document.pdf")), await served.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, (await _app.FetchAsync(pdf.Data.GetProperty("thumbnail_url").GetString()!)).StatusCode);

        // The video an old job was verifying is finished by that job.
        Assert.Equal("ready", (await direct.WaitUntilSettledAsync(old.DirectVideoId)).MediaStatus);

        // Each face still lists only its own media; the post still holds the PDF.
        var listed = await direct.Client.GetStringAsync("/v1/media?status=ready");
        Assert.Contains(old.DocumentId, listed);
        Assert.Contains(old.DirectImageId, listed);
        Assert.Equal("media_in_use", (await DirectAnswer.FromAsync(await direct.Client.DeleteAsync($"/v1/media/{old.DocumentId}"))).ErrorCode);
        var post = await DirectAnswer.FromAsync(await direct.Client.GetAsync($"/v1/posts/{old.PostId}"));
        Assert.Equal([old.DocumentId], post.Data.GetProperty("media_ids").EnumerateArray().Select(id => id.GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await mastodon.GetAsync($"/api/v1/media/{old.DirectImageCoreId}")).StatusCode);

        // The vacuum never takes direct media, however old.
        var vacuum = _app.RunCli("vacuum", "--dry-run");
        Assert.Equal(0, vacuum.ExitCode);
        Assert.DoesNotContain(old.DirectImageCoreId.ToString(), vacuum.Stdout);
    }
}
