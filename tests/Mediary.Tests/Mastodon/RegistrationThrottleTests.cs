using System.Net;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Mastodon;

/// <summary>
/// Mastodon's throttle_api_sign_up: every POST /api/v1/accounts from one address counts, before its
/// token is looked at (Rack::Attack runs first), and the next window lets sign-ups through again.
/// One test, as the in-process server gives every request the same address.
/// </summary>
public sealed class RegistrationThrottleTests(SignUpThrottleApp app) : IClassFixture<SignUpThrottleApp>
{
    [Fact]
    public async Task Past_the_limit_a_sign_up_gets_429_whatever_its_token_until_the_next_window()
    {
        using var http = await SignUps.AppClientAsync(app);
        using var anonymous = app.CreateClient();
        (await anonymous.SignUpAsync(SignUps.Form(SignUps.NewName()))).AssertError(HttpStatusCode.Unauthorized, "The access token is invalid");
        var first = await http.SignUpAsync(SignUps.Form(SignUps.NewName()));
        Assert.True(first.Status == HttpStatusCode.OK, first.ToString());

        var name = SignUps.NewName();
        var throttled = await http.SignUpAsync(SignUps.Form(name));
        throttled.AssertError(HttpStatusCode.TooManyRequests, "Too many requests");
        Assert.Equal("2", throttled.Response.Headers.GetValues("X-RateLimit-Limit").Single());
        Assert.Equal("0", throttled.Response.Headers.GetValues("X-RateLimit-Remaining").Single());
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(app.Clock.GetUtcNow().ToUnixTimeSeconds() / 3600 * 3600 + 3600),
            DateTimeOffset.Parse(throttled.Response.Headers.GetValues("X-RateLimit-Reset").Single(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.DoesNotContain(name, app.RunCli("accounts", "list").Stdout);

        app.Clock.Advance(TimeSpan.FromHours(1));
        var nextWindow = await http.SignUpAsync(SignUps.Form(name));
        Assert.True(nextWindow.Status == HttpStatusCode.OK, nextWindow.ToString());
    }
}
