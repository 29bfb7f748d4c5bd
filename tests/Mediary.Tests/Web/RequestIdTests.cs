using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Web;

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
