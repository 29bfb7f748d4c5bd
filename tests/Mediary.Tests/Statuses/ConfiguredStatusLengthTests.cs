using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Statuses;

public sealed class ConfiguredStatusLengthTests(ShortStatusesApp app) : IClassFixture<ShortStatusesApp>
{
    [Fact]
    public async Task The_configured_limit_is_advertised_and_enforced()
    {
        var user = await app.NewUserAsync();
        foreach (var version in new[] { "v1", "v2" })
        {
            var instance = JsonDocument.Parse(await app.CreateClient().GetStringAsync($"/api/{version}/instance")).RootElement;
            Assert.Equal(40, instance.GetProperty("configuration").GetProperty("statuses").GetProperty("max_characters").GetInt32());
        }

        var ok = await Answer.FromAsync(await user.Client.PostAsync("/api/v1/statuses", JsonContent.Create(new { status = new string('a', 40) })));
        Assert.Equal(HttpStatusCode.OK, ok.Status);
        var tooLong = await Answer.FromAsync(await user.Client.PostAsync("/api/v1/statuses", JsonContent.Create(new { status = new string('a', 41) })));
        tooLong.AssertError(HttpStatusCode.UnprocessableEntity, "Validation failed: Text character limit of 40 exceeded");
    }
}
