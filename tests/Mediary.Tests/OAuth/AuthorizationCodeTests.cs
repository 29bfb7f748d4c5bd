using System.Net;
using System.Net.Http.Headers;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.OAuth;

/// <summary>The authorization code flow as a Mastodon client runs it: sign in, approve, exchange the code, use the token.</summary>
public sealed class AuthorizationCodeTests(OAuthApp app) : IClassFixture<OAuthApp>
{
    [Fact]
    public async Task The_code_becomes_a_token_that_uploads_media_and_stops_working_once_revoked()
    {
        var client = await OAuthCalls.RegisterAsync(app, scopes: "read write:media");
        var code = await OAuthCalls.ApproveAsync(app, client, await OAuthCalls.NewAccountAsync(app), "write:media read");

        var token = await OAuthCalls.ExchangeAsync(app, client, code);
        Assert.Equal(HttpStatusCode.OK, token.Status);
        Assert.Equal("Bearer", token.Json.GetProperty("token_type").GetString());
        Assert.Equal("write:media read", token.Json.GetProperty("scope").GetString());
        Assert.InRange(token.Json.GetProperty("created_at").GetInt64(), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(),
            DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds());
        Assert.Contains("no-store", token.Response.Headers.CacheControl!.ToString());

        using var http = app.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Json.GetProperty("access_token").GetString());
        var user = new User(null!, token.Json.GetProperty("access_token").GetString()!, http);
        var media = await user.UploadAsync(Fixtures.Path("600x400.jpg"));
        Assert.Equal("image", media.Json.GetProperty("type").GetString());

        using var revokeClient = app.CreateClient();
        var revoked = await Answer.FromAsync(await revokeClient.PostAsync("/oauth/revoke", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = client.ClientId,
            ["client_secret"] = client.ClientSecret,
            ["token"] = user.Token,
        })));
        Assert.Equal(HttpStatusCode.OK, revoked.Status);
        Assert.Equal("{}", revoked.Body);
        (await user.GetMediaAsync(media.Id)).AssertError(HttpStatusCode.Unauthorized, "The access token was revoked");
    }

    [Fact]
    public async Task A_code_is_single_use_and_its_replay_revokes_the_token_it_gave()
    {
        var client = await OAuthCalls.RegisterAsync(app);
        var code = await OAuthCalls.ApproveAsync(app, client, await OAuthCalls.NewAccountAsync(app));
        var first = await OAuthCalls.ExchangeAsync(app, client, code);
        Assert.Equal(HttpStatusCode.OK, first.Status);

        OAuthCalls.AssertOAuthError(await OAuthCalls.ExchangeAsync(app, client, code), HttpStatusCode.BadRequest, "invalid_grant");
        using var http = app.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", first.Json.GetProperty("access_token").GetString());
        var after = await Answer.FromAsync(await http.GetAsync("/api/v1/apps/verify_credentials"));
        after.AssertError(HttpStatusCode.Unauthorized, "The access token was revoked");
    }

    [Fact]
    public async Task PKCE_refuses_a_missing_or_wrong_verifier_and_takes_the_right_one()
    {
        var client = await OAuthCalls.RegisterAsync(app);
        var account = await OAuthCalls.NewAccountAsync(app);
        var verifier = "verifier-" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");
        var code = await OAuthCalls.ApproveAsync(app, client, account, challenge: OAuthCalls.Challenge(verifier));

        var missing = await OAuthCalls.ExchangeAsync(app, client, code);
        OAuthCalls.AssertOAuthError(missing, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal("Missing required parameter: code_verifier.", missing.Json.GetProperty("error_description").GetString());
        OAuthCalls.AssertOAuthError(await OAuthCalls.ExchangeAsync(app, client, code, verifier + "x"), HttpStatusCode.BadRequest, "invalid_grant");
        Assert.Equal(HttpStatusCode.OK, (await OAuthCalls.ExchangeAsync(app, client, code, verifier)).Status);
    }

    [Fact]
    public async Task A_verifier_without_a_challenge_is_refused()
    {
        var client = await OAuthCalls.RegisterAsync(app);
        var code = await OAuthCalls.ApproveAsync(app, client, await OAuthCalls.NewAccountAsync(app));
        OAuthCalls.AssertOAuthError(await OAuthCalls.ExchangeAsync(app, client, code, "some-verifier-the-server-never-saw-a-challenge-for"),
            HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task A_code_expires_after_ten_minutes()
    {
        var client = await OAuthCalls.RegisterAsync(app);
        var code = await OAuthCalls.ApproveAsync(app, client, await OAuthCalls.NewAccountAsync(app));
        app.Clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        OAuthCalls.AssertOAuthError(await OAuthCalls.ExchangeAsync(app, client, code), HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Another_clients_code_a_wrong_secret_and_another_redirect_uri_are_refused()
    {
        var client = await OAuthCalls.RegisterAsync(app);
        var other = await OAuthCalls.RegisterAsync(app);
        var code = await OAuthCalls.ApproveAsync(app, client, await OAuthCalls.NewAccountAsync(app));

        OAuthCalls.AssertOAuthError(await OAuthCalls.ExchangeAsync(app, other, code), HttpStatusCode.BadRequest, "invalid_grant");
        var wrongSecret = await OAuthCalls.ExchangeAsync(app, client, code, secret: "not-the-secret");
        OAuthCalls.AssertOAuthError(wrongSecret, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.Contains("error=\"invalid_client\"", wrongSecret.Response.Headers.WwwAuthenticate.ToString());
        OAuthCalls.AssertOAuthError(await OAuthCalls.ExchangeAsync(app, client, code, redirectUri: "https://app.example/other"),
            HttpStatusCode.BadRequest, "invalid_grant");
        // None of these spent the code: the rightful exchange still works.
        Assert.Equal(HttpStatusCode.OK, (await OAuthCalls.ExchangeAsync(app, client, code)).Status);
    }

    [Fact]
    public async Task The_client_may_authenticate_with_HTTP_Basic_but_not_in_two_ways_at_once()
    {
        var client = await OAuthCalls.RegisterAsync(app);
        var code = await OAuthCalls.ApproveAsync(app, client, await OAuthCalls.NewAccountAsync(app));
        var form = new Dictionary<string, string> { ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = client.RedirectUri };

        var both = await OAuthCalls.TokenAsync(app, new Dictionary<string, string>(form) { ["client_secret"] = client.ClientSecret },
            $"{client.ClientId}:{client.ClientSecret}");
        OAuthCalls.AssertOAuthError(both, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal(HttpStatusCode.OK, (await OAuthCalls.TokenAsync(app, form, $"{client.ClientId}:{client.ClientSecret}")).Status);
    }

    [Theory]
    [InlineData("", "invalid_request", "Missing required parameter: grant_type.")]
    [InlineData("password", "unsupported_grant_type", "The authorization grant type is not supported by the authorization server.")]
    [InlineData("refresh_token", "unsupported_grant_type", "The authorization grant type is not supported by the authorization server.")]
    public async Task Other_grant_types_are_refused_as_Doorkeeper_refuses_them(string grantType, string error, string description)
    {
        var answer = await OAuthCalls.TokenAsync(app, new Dictionary<string, string> { ["grant_type"] = grantType });
        OAuthCalls.AssertOAuthError(answer, HttpStatusCode.BadRequest, error);
        Assert.Equal(description, answer.Json.GetProperty("error_description").GetString());
    }

    [Fact]
    public async Task A_token_can_be_revoked_only_by_its_own_application()
    {
        var client = await OAuthCalls.RegisterAsync(app);
        var other = await OAuthCalls.RegisterAsync(app);
        var code = await OAuthCalls.ApproveAsync(app, client, await OAuthCalls.NewAccountAsync(app));
        var token = (await OAuthCalls.ExchangeAsync(app, client, code)).Json.GetProperty("access_token").GetString()!;
        using var http = app.CreateClient();

        Task<Answer> Revoke(OAuthClient by, string secret) => http.PostAsync("/oauth/revoke", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = by.ClientId,
            ["client_secret"] = secret,
            ["token"] = token,
        })).ContinueWith(response => Answer.FromAsync(response.Result)).Unwrap();

        var byOther = await Revoke(other, other.ClientSecret);
        OAuthCalls.AssertOAuthError(byOther, HttpStatusCode.Forbidden, "unauthorized_client");
        OAuthCalls.AssertOAuthError(await Revoke(client, "wrong"), HttpStatusCode.Forbidden, "unauthorized_client");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/apps/verify_credentials")).StatusCode);
    }
}
