using System.Net;
using System.Text.Json;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Web;

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

        Assert.Equal(new Readiness(HttpStatusCode.OK, "ok", "ok", "ok"), await Readiness.ReadAsync(client));
    }
}
