using System.Net;
using System.Net.Http.Json;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.OAuth;

/// <summary>POST /api/v1/apps and GET /api/v1/apps/verify_credentials, as Mastodon answers them.</summary>
public sealed class AppRegistrationTests(OAuthApp app) : IClassFixture<OAuthApp>
{
    private async Task<Answer> RegisterAsync(object body)
    {
        using var client = app.CreateClient();
        return await Answer.FromAsync(await client.PostAsJsonAsync("/api/v1/apps", body));
    }

    [Fact]
    public async Task An_app_gets_its_credentials_and_the_Application_entity()
    {
        var answer = await RegisterAsync(new { client_name = "Test app", redirect_uris = "urn:ietf:wg:oauth:2.0:oob", scopes = "read write read" });
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var json = answer.Json;
        Assert.Equal("Test app", json.GetProperty("name").GetString());
        Assert.Equal(["read", "write"], json.GetProperty("scopes").EnumerateArray().Select(scope => scope.GetString()));
        Assert.Equal(["urn:ietf:wg:oauth:2.0:oob"], json.GetProperty("redirect_uris").EnumerateArray().Select(uri => uri.GetString()));
        Assert.Equal("urn:ietf:wg:oauth:2.0:oob", json.GetProperty("redirect_uri").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.GetProperty("website").ValueKind);
        Assert.Equal(0, json.GetProperty("client_secret_expires_at").GetInt32());
        Assert.True(json.GetProperty("client_id").GetString()!.Length >= 32);
        Assert.True(json.GetProperty("client_secret").GetString()!.Length >= 32);
        Assert.True(long.TryParse(json.GetProperty("id").GetString(), out _));
    }

    [Fact]
    public async Task Redirect_uris_may_be_a_list_or_lines_and_scopes_default_to_read()
    {
        var list = await RegisterAsync(new { client_name = "A", redirect_uris = new[] { "https://redirect1.example/", "app://redirect2.example/" } });
        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.Equal("https://redirect1.example/\napp://redirect2.example/", list.Json.GetProperty("redirect_uri").GetString());
        Assert.Equal(["read"], list.Json.GetProperty("scopes").EnumerateArray().Select(scope => scope.GetString()));

        // Mastodon drops scopes sent as a list (mastodon#30152) and gives the default.
        var arrayScopes = await RegisterAsync(new { client_name = "B", redirect_uris = "https://a.example/\nhttps://b.example/", scopes = new[] { "read", "write" } });
        Assert.Equal(["https://a.example/", "https://b.example/"], arrayScopes.Json.GetProperty("redirect_uris").EnumerateArray().Select(uri => uri.GetString()));
        Assert.Equal(["read"], arrayScopes.Json.GetProperty("scopes").EnumerateArray().Select(scope => scope.GetString()));
    }

    [Theory]
    [InlineData("", "urn:ietf:wg:oauth:2.0:oob", "read", "Validation failed: Application name can't be blank")]
    [InlineData("A", "", "read", "Validation failed: Redirect URI can't be blank")]
    [InlineData("A", "javascript:alert(1)", "read", "Validation failed: Redirect URI is forbidden by the server., Redirect URI must specify a scheme.")]
    [InlineData("A", "https://app.example/cb#fragment", "read", "Validation failed: Redirect URI cannot contain a fragment.")]
    [InlineData("A", "/relative/callback", "read", "Validation failed: Redirect URI must be an absolute URI.")]
    [InlineData("A", "https://app.example/cb", "read hoge", "Validation failed: Scopes doesn't match those configured on the server.")]
    [InlineData("A", "https://app.example/cb", "direct", "Validation failed: Scopes doesn't match those configured on the server.")]
    public async Task Invalid_apps_get_Mastodons_422(string name, string redirectUris, string scopes, string message)
    {
        var answer = await RegisterAsync(new { client_name = name, redirect_uris = redirectUris, scopes });
        answer.AssertError(HttpStatusCode.UnprocessableEntity, message);
    }

    [Fact]
    public async Task Too_long_names_redirect_uris_and_websites_are_refused()
    {
        (await RegisterAsync(new { client_name = new string('a', 61), redirect_uris = "https://app.example/" }))
            .AssertError(HttpStatusCode.UnprocessableEntity, "Validation failed: Application name is too long (maximum is 60 characters)");
        Assert.Equal(HttpStatusCode.UnprocessableEntity,
            (await RegisterAsync(new { client_name = "A", redirect_uris = Enumerable.Range(0, 500).Select(i => $"https://app.example/{i}/callback") })).Status);
        (await RegisterAsync(new { client_name = "A", redirect_uris = "https://app.example/", website = "ftp://example.com" }))
            .AssertError(HttpStatusCode.UnprocessableEntity, "Validation failed: Application website is not a valid URL");
    }

    [Fact]
    public async Task An_apps_token_verifies_its_credentials_without_the_secret()
    {
        var client = await OAuthCalls.RegisterAsync(app, scopes: "read write:media");
        var token = await OAuthCalls.TokenAsync(app, new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = client.ClientId,
            ["client_secret"] = client.ClientSecret,
        });
        using var http = app.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", token.Json.GetProperty("access_token").GetString());
        var verified = await Answer.FromAsync(await http.GetAsync("/api/v1/apps/verify_credentials"));
        Assert.Equal(HttpStatusCode.OK, verified.Status);
        Assert.Equal("Test app", verified.Json.GetProperty("name").GetString());
        Assert.False(verified.Json.TryGetProperty("client_secret", out _));
        Assert.False(verified.Json.TryGetProperty("client_id", out _));

        using var anonymous = app.CreateClient();
        (await Answer.FromAsync(await anonymous.GetAsync("/api/v1/apps/verify_credentials")))
            .AssertError(HttpStatusCode.Unauthorized, "The access token is invalid");
    }
}
