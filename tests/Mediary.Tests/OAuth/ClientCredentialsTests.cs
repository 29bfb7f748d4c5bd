using System.Net;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.OAuth;

/// <summary>The client_credentials grant: a token of the application itself, which acts for no user.</summary>
public sealed class ClientCredentialsTests(OAuthApp app) : IClassFixture<OAuthApp>
{
    private static Dictionary<string, string> Form(OAuthClient client, string? scope = null)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = client.ClientId, ["client_secret"] = client.ClientSecret };
        if (scope is not null) form["scope"] = scope;
        return form;
    }

    [Fact]
    public async Task An_app_token_cannot_upload_media()
    {
        var client = await OAuthCalls.RegisterAsync(app, scopes: "read write");
        var token = await OAuthCalls.TokenAsync(app, Form(client, "write"));
        Assert.Equal(HttpStatusCode.OK, token.Status);
        Assert.Equal("write", token.Json.GetProperty("scope").GetString());

        using var http = app.CreateClient();
        var user = new User(null!, token.Json.GetProperty("access_token").GetString()!, http);
        http.DefaultRequestHeaders.Authorization = new("Bearer", user.Token);
        var upload = await user.UploadAsync(Fixtures.Path("600x400.jpg"));
        upload.AssertError(HttpStatusCode.UnprocessableEntity, "This method requires an authenticated user");
    }

    [Fact]
    public async Task Without_a_scope_the_token_gets_read_and_a_scope_the_app_lacks_is_refused()
    {
        var client = await OAuthCalls.RegisterAsync(app, scopes: "read write:media");
        Assert.Equal("read", (await OAuthCalls.TokenAsync(app, Form(client))).Json.GetProperty("scope").GetString());
        OAuthCalls.AssertOAuthError(await OAuthCalls.TokenAsync(app, Form(client, "write")), HttpStatusCode.BadRequest, "invalid_scope");
        OAuthCalls.AssertOAuthError(await OAuthCalls.TokenAsync(app, Form(client, "direct")), HttpStatusCode.BadRequest, "invalid_scope");

        var writeOnly = await OAuthCalls.RegisterAsync(app, scopes: "write");
        OAuthCalls.AssertOAuthError(await OAuthCalls.TokenAsync(app, Form(writeOnly)), HttpStatusCode.BadRequest, "invalid_scope");
    }

    [Fact]
    public async Task An_unknown_client_gets_401_invalid_client()
    {
        var answer = await OAuthCalls.TokenAsync(app, new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "nobody",
            ["client_secret"] = "nothing",
        });
        OAuthCalls.AssertOAuthError(answer, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.Equal("Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.",
            answer.Json.GetProperty("error_description").GetString());
    }

    [Fact]
    public async Task The_server_metadata_names_the_endpoints_and_what_they_support()
    {
        using var http = app.CreateClient();
        var metadata = await Answer.FromAsync(await http.GetAsync("/.well-known/oauth-authorization-server"));
        Assert.Equal(HttpStatusCode.OK, metadata.Status);
        var json = metadata.Json;
        var root = json.GetProperty("issuer").GetString()!;
        Assert.EndsWith("/", root);
        Assert.Equal(root + "oauth/authorize", json.GetProperty("authorization_endpoint").GetString());
        Assert.Equal(root + "oauth/token", json.GetProperty("token_endpoint").GetString());
        Assert.Equal(root + "oauth/revoke", json.GetProperty("revocation_endpoint").GetString());
        Assert.Equal(root + "api/v1/apps", json.GetProperty("app_registration_endpoint").GetString());
        Assert.Equal(["S256"], json.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(method => method.GetString()));
        var scopes = json.GetProperty("scopes_supported").EnumerateArray().Select(scope => scope.GetString()).ToList();
        Assert.Contains("write:media", scopes);
        Assert.DoesNotContain("direct", scopes);
    }
}
