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

public sealed class HealthFailureTests
{
    [Fact]
    public async Task Readiness_is_503_naming_the_storage_when_the_media_directory_is_gone()
    {
        await using var app = new MediaryApp();
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

        Directory.Delete(app.Storage.Root, recursive: true);
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("unavailable", body.GetProperty("status").GetString());
        Assert.Equal("ok", body.GetProperty("checks").GetProperty("database").GetString());
        Assert.Equal("unreachable", body.GetProperty("checks").GetProperty("storage").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
    }
}
