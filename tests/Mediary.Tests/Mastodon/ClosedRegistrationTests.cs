using System.Net;
using System.Net.Http.Headers;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Mastodon;

/// <summary>Registrations closed, the default: POST /api/v1/accounts answers as a closed Mastodon server does.</summary>
public sealed class ClosedRegistrationTests(MediaryApp app) : IClassFixture<MediaryApp>
{
    [Fact]
    public async Task An_apps_sign_up_gets_403_Forbidden_and_the_instance_says_registrations_are_closed()
    {
        var client = await OAuthCalls.RegisterAsync(app, scopes: "read write");
        var token = await OAuthCalls.TokenAsync(app, new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = client.ClientId,
            ["client_secret"] = client.ClientSecret,
            ["scope"] = "write",
        });
        using var http = app.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Json.GetProperty("access_token").GetString());
        var answer = await Answer.FromAsync(await http.PostAsync("/api/v1/accounts", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = "closedsignup",
            ["email"] = "closed@example.com",
            ["password"] = "a good password",
            ["agreement"] = "true",
        })));
        answer.AssertError(HttpStatusCode.Forbidden, "Forbidden");

        using var anonymous = app.CreateClient();
        Assert.False((await Answer.FromAsync(await anonymous.GetAsync("/api/v1/instance"))).Json.GetProperty("registrations").GetBoolean());
        Assert.False((await Answer.FromAsync(await anonymous.GetAsync("/api/v2/instance"))).Json.GetProperty("registrations").GetProperty("enabled").GetBoolean());
    }
}
