using System.Net;
using System.Net.Http.Headers;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Telemetry;

/// <summary>The ways an operator keeps /metrics from the public: a token, a port of its own, or none at all.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class MetricsAccessTests
{
    [Fact]
    public async Task With_a_token_a_scrape_without_it_or_with_another_is_401_and_with_it_200()
    {
        await using var app = new MetricsTokenApp();
        using var client = app.CreateClient();
        var anonymous = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.ToString());
        Assert.DoesNotContain("mediary_", await anonymous.Content.ReadAsStringAsync());

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/metrics")).StatusCode);

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MetricsTokenApp.Token);
        var scrape = await PrometheusScrape.FromAsync(client);
        Assert.NotEmpty(scrape.Find("mediary_jobs_queued"));
    }

    [Fact]
    public async Task With_a_port_of_its_own_metrics_are_not_found_on_the_public_port()
    {
        await using var app = new MetricsPortApp();
        using var client = app.CreateClient();
        var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("mediary_", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task A_scrape_is_a_get_anything_else_is_405()
    {
        await using var app = new MediaryApp();
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.PostAsync("/metrics", new StringContent(""))).StatusCode);
        Assert.NotEmpty((await PrometheusScrape.FromAsync(client)).Find("mediary_jobs_queued"));
    }

    [Fact]
    public async Task Disabled_there_is_no_metrics_endpoint()
    {
        await using var app = new MetricsOffApp();
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/metrics")).StatusCode);
    }
}
