using System.Net;
using System.Net.Http.Headers;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Mastodon;

/// <summary>Mastodon's throttle_api_sign_up: sign-ups per address per window.</summary>
public sealed class SignUpThrottleTests(SignUpThrottleApp app) : IClassFixture<SignUpThrottleApp>
{
    [Fact]
    public async Task The_third_sign_up_from_one_address_gets_429()
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
        Answer last = null!;
        for (var i = 0; i < 3; i++)
        {
            var name = "t" + Guid.NewGuid().ToString("N")[..10];
            last = await Answer.FromAsync(await http.PostAsync("/api/v1/accounts", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["username"] = name,
                ["email"] = $"{name}@example.com",
                ["password"] = "a good password",
                ["agreement"] = "1",
            })));
            if (i < 2) Assert.True(last.Status == HttpStatusCode.OK, last.ToString());
        }
        last.AssertError(HttpStatusCode.TooManyRequests, "Too many requests");
    }
}
