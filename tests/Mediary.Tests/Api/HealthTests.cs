using System.Net;
using System.Text.Json;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Api;

/// <summary>The probes an orchestrator or load balancer calls, without a token.</summary>
public sealed class HealthTests(MediaryApp app) : IClassFixture<MediaryApp>
{
    [Fact]
    public async Task Liveness_and_readiness_answer_without_a_token_and_name_each_check()
    {
        using var client = app.CreateClient();
        var live = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("ok", JsonDocument.Parse(await live.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());

        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("ok", body.GetProperty("status").GetString());
        Assert.Equal("ok", body.GetProperty("checks").GetProperty("database").GetString());
        Assert.Equal("ok", body.GetProperty("checks").GetProperty("storage").GetString());
    }
}

public sealed class RequestIdTests(MediaryApp app) : IClassFixture<MediaryApp>
{
    [Fact]
    public async Task Every_response_carries_its_own_request_id()
    {
        using var client = app.CreateClient();
        var first = (await client.GetAsync("/api/v1/instance")).Headers.GetValues("X-Request-Id").Single();
        var second = (await client.GetAsync("/api/v1/media/1")).Headers.GetValues("X-Request-Id").Single();
        Assert.Matches("^[0-9a-f]{32}$", first);
        Assert.Matches("^[0-9a-f]{32}$", second);
        Assert.NotEqual(first, second);
    }
}

public sealed class HealthFailureTests
{
    [Fact]
    public async Task Readiness_is_503_naming_the_storage_when_the_media_directory_is_gone()
    {
        await using var app = new LocalDiskApp();
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

        Directory.Delete(app.LocalStorage!.Root, recursive: true);
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("unavailable", body.GetProperty("status").GetString());
        Assert.Equal("ok", body.GetProperty("checks").GetProperty("database").GetString());
        Assert.Equal("unreachable", body.GetProperty("checks").GetProperty("storage").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task A_storage_outage_is_503_with_a_clear_message_on_both_faces_never_a_500()
    {
        await using var app = new LocalDiskApp();
        var user = await app.NewUserAsync();
        var direct = await app.NewDirectUserAsync();
        var declared = await direct.DeclareFileAsync(Fixtures.Path("600x400.jpg"), "image/jpeg");

        Directory.Delete(app.LocalStorage!.Root, recursive: true);
        var mastodon = await user.UploadAsync(Fixtures.Path("600x400.jpg"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, mastodon.Status);
        Assert.Equal("There was a temporary problem serving your request, please try again", mastodon.Error);

        var put = await DirectAnswer.FromAsync(
            await direct.PutFileAsync(declared.Data.GetProperty("upload_url").GetString()!, Fixtures.Path("600x400.jpg"), "image/jpeg"), keyed: false);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, put.Status);
        Assert.Equal("service_unavailable", put.ErrorCode);
        Assert.Contains("storage", put.ErrorMessage);
        Assert.False(Directory.Exists(app.LocalStorage!.Root), "nothing may be written where the storage was");
    }
}
