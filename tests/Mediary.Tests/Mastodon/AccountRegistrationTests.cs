using System.Net;
using System.Net.Http.Headers;
using Mediary.Auth;
using Mediary.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Mediary.Tests.Mastodon;

/// <summary>POST /api/v1/accounts as Mastodon answers it, with registrations open (validation and the throttle have classes of their own).</summary>
public sealed class AccountRegistrationTests(OpenRegistrationsApp app) : IClassFixture<OpenRegistrationsApp>
{
    [Fact]
    public async Task An_app_signs_someone_up_and_the_token_it_gets_uploads_media_at_once()
    {
        using var http = await SignUps.AppClientAsync(app, appScopes: "read write push");
        var name = SignUps.NewName();
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var answer = await http.SignUpAsync(SignUps.Form(name));
        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        // Doorkeeper's token response: the new user's token, with the application's scopes.
        Assert.Equal(["access_token", "token_type", "scope", "created_at"], answer.Json.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Bearer", answer.Json.GetProperty("token_type").GetString());
        Assert.Equal("read write push", answer.Json.GetProperty("scope").GetString());
        Assert.InRange(answer.Json.GetProperty("created_at").GetInt64(), before, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.Equal("private, no-store", answer.Response.Headers.NonValidated["Cache-Control"].ToString());
        Assert.Equal("no-cache", answer.Response.Headers.Pragma.ToString());

        var user = await SignUps.UserFromAsync(app, answer, name);
        var uploaded = await user.UploadAsync(Fixtures.Path("600x400.jpg"));
        Assert.True(uploaded.Status == HttpStatusCode.OK, uploaded.ToString());
        Assert.Equal("image", uploaded.Json.GetProperty("type").GetString());
        var me = await Answer.FromAsync(await user.Client.GetAsync("/api/v1/accounts/verify_credentials"));
        Assert.Equal(name, me.Json.GetProperty("username").GetString());
        // The password it chose signs in at once: no e-mail confirmation comes first.
        Assert.NotNull((await app.Services.GetRequiredService<AccountStore>().CheckPasswordAsync($"{name}@example.com", "a good password")).Account);
    }

    [Fact]
    public async Task A_json_body_signs_up_too_and_the_username_is_squished_as_Mastodon_does()
    {
        using var http = await SignUps.AppClientAsync(app);
        var name = SignUps.NewName();
        var body = new StringContent($$"""{"username":"  {{name}} ","email":" {{name.ToUpperInvariant()}}@Example.COM","password":"a good password","agreement":true,"locale":"en-US","reason":"hi","time_zone":"Europe/Berlin","date_of_birth":"2000-01-01","invite_code":""}""",
            System.Text.Encoding.UTF8, "application/json");
        var answer = await http.SignUpAsync(body);
        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        var account = (await SignUps.UserFromAsync(app, answer, name)).Account;
        Assert.Equal($"{name}@example.com", account.Email);
    }

    [Theory]
    [InlineData("en-US")]
    [InlineData("xx")]
    [InlineData("")]
    public async Task A_locale_Mastodon_does_not_know_is_dropped_not_refused(string locale)
    {
        using var http = await SignUps.AppClientAsync(app);
        var answer = await http.SignUpAsync(SignUps.Form(SignUps.NewName(), ("locale", locale)));
        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
    }

    [Fact]
    public async Task A_users_token_may_not_sign_anyone_up_whether_from_the_cli_or_through_an_app()
    {
        var cliUser = await app.NewUserAsync();
        var fromCli = await cliUser.Client.SignUpAsync(SignUps.Form(SignUps.NewName()));
        fromCli.AssertError(HttpStatusCode.Forbidden, "This method requires an client credentials authentication");

        var registered = await app.Services.GetRequiredService<Mediary.OAuth.ApplicationStore>().CreateAsync("App", OAuthCalls.Callback, "read write", null, default);
        var throughApp = await app.Services.GetRequiredService<TokenStore>().IssueAsync(cliUser.Account.Id, registered.Application.Id, "read write");
        using var http = app.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", throughApp.Token);
        var name = SignUps.NewName();
        (await http.SignUpAsync(SignUps.Form(name))).AssertError(HttpStatusCode.Forbidden, "This method requires an client credentials authentication");
        Assert.Null(await app.Services.GetRequiredService<AccountStore>().FindAsync(name));
    }

    [Fact]
    public async Task An_app_token_needs_write_or_write_accounts_and_no_token_is_401()
    {
        using var readOnly = await SignUps.AppClientAsync(app, tokenScopes: "read");
        (await readOnly.SignUpAsync(SignUps.Form(SignUps.NewName()))).AssertError(HttpStatusCode.Forbidden, "This action is outside the authorized scopes");

        using var narrow = await SignUps.AppClientAsync(app, appScopes: "write:accounts", tokenScopes: "write:accounts");
        var answer = await narrow.SignUpAsync(SignUps.Form(SignUps.NewName()));
        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        Assert.Equal("write:accounts", answer.Json.GetProperty("scope").GetString());

        using var anonymous = app.CreateClient();
        (await anonymous.SignUpAsync(SignUps.Form(SignUps.NewName()))).AssertError(HttpStatusCode.Unauthorized, "The access token is invalid");
    }

    [Fact]
    public async Task The_instance_says_registrations_are_open_and_gives_a_plain_version()
    {
        using var http = app.CreateClient();
        var v1 = await Answer.FromAsync(await http.GetAsync("/api/v1/instance"));
        Assert.True(v1.Json.GetProperty("registrations").GetBoolean());
        Assert.Equal("4.4.0", v1.Json.GetProperty("version").GetString());
        var v2 = await Answer.FromAsync(await http.GetAsync("/api/v2/instance"));
        Assert.True(v2.Json.GetProperty("registrations").GetProperty("enabled").GetBoolean());
        Assert.Equal("4.4.0", v2.Json.GetProperty("version").GetString());
        Assert.Equal(6, v2.Json.GetProperty("api_versions").GetProperty("mastodon").GetInt32());
    }
}
