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

    [Fact]
    public async Task An_admin_sees_every_accounts_usage_through_the_admin_api_paged_newest_first()
    {
        var user = await app.NewUserAsync();
        Assert.Equal(HttpStatusCode.OK, (await user.UploadAsync(Fixtures.Path("600x400.jpg"))).Status);
        var own = (await Answer.FromAsync(await user.Client.GetAsync("/api/v1/mediary/usage"))).Json;
        var admin = await app.NewUserAsync("admin:read", admin: true);

        var one = await Answer.FromAsync(await admin.Client.GetAsync($"/api/v1/mediary/admin/usage/{user.Account.Id}"));
        Assert.Equal(HttpStatusCode.OK, one.Status);
        Assert.Equal(user.Account.Id.ToString(), one.Json.GetProperty("account_id").GetString());
        Assert.Equal(user.Account.Username, one.Json.GetProperty("username").GetString());
        foreach (var key in new[] { "used_bytes", "reserved_bytes", "limit_bytes", "remaining_bytes", "media_count" })
        {
            Assert.Equal(own.GetProperty(key).GetInt64(), one.Json.GetProperty(key).GetInt64());
        }
        (await Answer.FromAsync(await admin.Client.GetAsync("/api/v1/mediary/admin/usage/12345"))).AssertError(HttpStatusCode.NotFound, "Record not found");

        // The newest account first (the admin, then the user), one a page, with a Link to the next.
        var first = await admin.Client.GetAsync("/api/v1/mediary/admin/usage?limit=1");
        var firstPage = await Answer.FromAsync(first);
        Assert.Equal(admin.Account.Id.ToString(), Assert.Single(firstPage.Json.EnumerateArray()).GetProperty("account_id").GetString());
        var next = Assert.Single(first.Headers.GetValues("Link"));
        Assert.Matches($"^<http://[^>]+/api/v1/mediary/admin/usage\\?limit=1&max_id={admin.Account.Id}>; rel=\"next\"$", next);
        var secondPage = await Answer.FromAsync(await admin.Client.GetAsync(next[1..next.IndexOf('>')]));
        Assert.Equal(user.Account.Id.ToString(), Assert.Single(secondPage.Json.EnumerateArray()).GetProperty("account_id").GetString());
    }

    [Fact]
    public async Task The_admin_api_needs_an_admin_scope_and_an_account_that_is_an_admin()
    {
        var notAdmin = await app.NewUserAsync("admin:read");
        (await Answer.FromAsync(await notAdmin.Client.GetAsync("/api/v1/mediary/admin/usage"))).AssertError(HttpStatusCode.Forbidden,
            "This action is not allowed");
        var adminWithoutScope = await app.NewUserAsync("read write", admin: true);
        (await Answer.FromAsync(await adminWithoutScope.Client.GetAsync("/api/v1/mediary/admin/usage"))).AssertError(HttpStatusCode.Forbidden,
            "This action is outside the authorized scopes");
    }

    [Fact]
    public async Task The_cli_shows_an_accounts_usage_as_the_api_counts_it()
    {
        var user = await app.NewUserAsync();
        Assert.Equal(HttpStatusCode.OK, (await user.UploadAsync(Fixtures.Path("600x400.jpg"))).Status);
        var used = (await Answer.FromAsync(await user.Client.GetAsync("/api/v1/mediary/usage"))).Json.GetProperty("used_bytes").GetInt64();

        // The CLI reads the configuration as the server does; here the server's setting is given on its command line.
        var shown = app.RunCli("accounts", "usage", user.Account.Username, "--Quotas:StorageBytes=40000");
        Assert.Equal(0, shown.ExitCode);
        Assert.Equal($"{user.Account.Id}\t{user.Account.Username}\t{used}\t0\t40000\t1", shown.Stdout.Trim());
        var unknown = app.RunCli("accounts", "usage", "nobody_here");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("no account named nobody_here", unknown.Stderr);
    }
}
