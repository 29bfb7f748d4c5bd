using System.Net;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Media;

/// <summary>The per-account storage quota (Quotas:StorageBytes), on both faces.</summary>
public sealed class StorageQuotaTests(QuotaApp app) : IClassFixture<QuotaApp>
{
    [Fact]
    public async Task A_mastodon_upload_past_the_quota_is_refused_until_space_is_freed()
    {
        var user = await app.NewUserAsync();
        var first = await user.UploadAsync(Fixtures.Path("600x400.jpg"));
        Assert.Equal(HttpStatusCode.OK, first.Status);

        var usage = await Answer.FromAsync(await user.Client.GetAsync("/api/v1/mediary/usage"));
        Assert.Equal(HttpStatusCode.OK, usage.Status);
        var used = usage.Json.GetProperty("used_bytes").GetInt64();
        Assert.InRange(used, 1, 40000);
        Assert.Equal(40000, usage.Json.GetProperty("limit_bytes").GetInt64());
        Assert.Equal(40000 - used, usage.Json.GetProperty("remaining_bytes").GetInt64());
        Assert.Equal(1, usage.Json.GetProperty("media_count").GetInt64());

        // 34,694 bytes more do not fit beside the first image.
        var second = await user.UploadAsync(Fixtures.Path("600x400.png"));
        second.AssertError(HttpStatusCode.UnprocessableEntity, "Validation failed: Storage quota of 39.1 KB exceeded");

        Assert.Equal(HttpStatusCode.OK, (await user.Client.DeleteAsync($"/api/v1/media/{first.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await user.UploadAsync(Fixtures.Path("600x400.png"))).Status);
    }

    [Fact]
    public async Task One_accounts_quota_does_not_touch_another()
    {
        var full = await app.NewUserAsync();
        Assert.Equal(HttpStatusCode.OK, (await full.UploadAsync(Fixtures.Path("600x400.png"))).Status);
        var other = await app.NewUserAsync();
        Assert.Equal(HttpStatusCode.OK, (await other.UploadAsync(Fixtures.Path("600x400.png"))).Status);
    }

    [Fact]
    public async Task A_direct_declaration_reserves_its_size_and_one_past_the_quota_is_403_quota_exceeded()
    {
        var user = await app.NewDirectUserAsync();
        var tooBig = await user.DeclareAsync(new { filename = "big.jpg", content_type = "image/jpeg", size = 40001 });
        Assert.Equal(HttpStatusCode.Forbidden, tooBig.Status);
        Assert.Equal("quota_exceeded", tooBig.ErrorCode);
        Assert.Equal("Storage quota of 39.1 KB exceeded.", tooBig.ErrorMessage);

        var declared = await user.DeclareAsync(new { filename = "a.jpg", content_type = "image/jpeg", size = 30000 });
        Assert.Equal(HttpStatusCode.OK, declared.Status);
        var usage = await DirectAnswer.FromAsync(await user.Client.GetAsync("/v1/usage"));
        Assert.Equal(30000, usage.Data.GetProperty("reserved_bytes").GetInt64());
        Assert.Equal(10000, usage.Data.GetProperty("remaining_bytes").GetInt64());

        var second = await user.DeclareAsync(new { filename = "b.jpg", content_type = "image/jpeg", size = 20000 });
        Assert.Equal("quota_exceeded", second.ErrorCode);
    }

    [Fact]
    public async Task A_declared_upload_completes_within_its_own_reservation()
    {
        var user = await app.NewDirectUserAsync();
        var completed = await user.UploadDirectAsync(Fixtures.Path("600x400.jpg"), "image/jpeg");
        Assert.True(completed.Status == HttpStatusCode.OK, completed.ToString());
        var usage = await DirectAnswer.FromAsync(await user.Client.GetAsync("/v1/usage"));
        Assert.Equal(0, usage.Data.GetProperty("reserved_bytes").GetInt64());
        Assert.InRange(usage.Data.GetProperty("used_bytes").GetInt64(), 1, 40000);
    }
}
