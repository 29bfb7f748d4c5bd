using System.Net;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.OAuth;

/// <summary>Mastodon's throttle_oauth_application_registrations/ip: app registrations per address per window.</summary>
public sealed class AppRegistrationThrottleTests(AppRegistrationThrottleApp app) : IClassFixture<AppRegistrationThrottleApp>
{
    [Fact]
    public async Task Registrations_past_the_limit_get_429_with_the_rate_limit_headers()
    {
        using var client = app.CreateClient();
        var form = new Dictionary<string, string> { ["client_name"] = "A", ["redirect_uris"] = "urn:ietf:wg:oauth:2.0:oob" };
        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/v1/apps", new FormUrlEncodedContent(form))).StatusCode);

        var throttled = await Answer.FromAsync(await client.PostAsync("/api/v1/apps", new FormUrlEncodedContent(form)));
        throttled.AssertError(HttpStatusCode.TooManyRequests, "Too many requests");
        Assert.Equal("2", throttled.Response.Headers.GetValues("X-RateLimit-Limit").Single());
        Assert.Equal("0", throttled.Response.Headers.GetValues("X-RateLimit-Remaining").Single());
        Assert.True(DateTimeOffset.TryParse(throttled.Response.Headers.GetValues("X-RateLimit-Reset").Single(), out var reset));
        Assert.InRange(reset, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(11));
    }
}
