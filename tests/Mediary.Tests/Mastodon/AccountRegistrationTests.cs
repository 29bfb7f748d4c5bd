using System.Net;
using System.Net.Http.Headers;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Mastodon;

/// <summary>POST /api/v1/accounts as Mastodon answers it, with registrations open (the throttle has its own class).</summary>
public sealed class AccountRegistrationTests(OpenRegistrationsApp app) : IClassFixture<OpenRegistrationsApp>
{
    /// <summary>An app's own token (client_credentials).</summary>
    private async Task<HttpClient> AppClientAsync()
    {
        var client = await OAuthCalls.RegisterAsync(app, scopes: "read write");
        var token = await OAuthCalls.TokenAsync(app, new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = client.ClientId,
            ["client_secret"] = client.ClientSecret,
            ["scope"] = "read write",
        });
        var http = app.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Json.GetProperty("access_token").GetString());
        return http;
    }

    private static FormUrlEncodedContent SignUp(string username, string email, string password = "a good password", string agreement = "true") =>
        new(new Dictionary<string, string> { ["username"] = username, ["email"] = email, ["password"] = password, ["agreement"] = agreement, ["locale"] = "en" });

    private static string NewName() => "r" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task An_app_signs_someone_up_and_the_token_it_gets_uploads_media_at_once()
    {
        using var http = await AppClientAsync();
        var name = NewName();
        var answer = await Answer.FromAsync(await http.PostAsync("/api/v1/accounts", SignUp(name, $"{name}@example.com")));
        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        Assert.Equal("Bearer", answer.Json.GetProperty("token_type").GetString());
        Assert.Equal("read write", answer.Json.GetProperty("scope").GetString());
        Assert.Contains("no-store", answer.Response.Headers.CacheControl!.ToString());

        using var userHttp = app.CreateClient();
        userHttp.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", answer.Json.GetProperty("access_token").GetString());
        var user = new User(null!, answer.Json.GetProperty("access_token").GetString()!, userHttp);
        Assert.Equal(HttpStatusCode.OK, (await user.UploadAsync(Fixtures.Path("600x400.jpg"))).Status);
        var me = await Answer.FromAsync(await userHttp.GetAsync("/api/v1/accounts/verify_credentials"));
        Assert.Equal(name, me.Json.GetProperty("username").GetString());
    }

    [Fact]
    public async Task A_users_token_may_not_sign_anyone_up()
    {
        var user = await app.NewUserAsync();
        var answer = await Answer.FromAsync(await user.Client.PostAsync("/api/v1/accounts", SignUp(NewName(), "x@example.com")));
        answer.AssertError(HttpStatusCode.Forbidden, "This method requires an client credentials authentication");
    }

    [Fact]
    public async Task A_taken_name_in_any_case_and_a_taken_email_get_422_with_details()
    {
        using var http = await AppClientAsync();
        var name = NewName();
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("/api/v1/accounts", SignUp(name, $"{name}@example.com"))).StatusCode);

        var again = await Answer.FromAsync(await http.PostAsync("/api/v1/accounts", SignUp(name.ToUpperInvariant(), $"{name}@EXAMPLE.com")));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.Status);
        Assert.StartsWith("Validation failed: ", again.Error);
        Assert.Equal("ERR_TAKEN", again.Json.GetProperty("details").GetProperty("username")[0].GetProperty("error").GetString());
        Assert.Equal("ERR_TAKEN", again.Json.GetProperty("details").GetProperty("email")[0].GetProperty("error").GetString());
        Assert.Equal("has already been taken", again.Json.GetProperty("details").GetProperty("email")[0].GetProperty("description").GetString());
    }

    [Fact]
    public async Task Bad_fields_get_Mastodons_messages_and_nothing_is_created()
    {
        using var http = await AppClientAsync();
        var answer = await Answer.FromAsync(await http.PostAsync("/api/v1/accounts",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "bad name!", ["email"] = "nope", ["password"] = "short", ["locale"] = "xx" })));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        var details = answer.Json.GetProperty("details");
        Assert.Equal("ERR_INVALID", details.GetProperty("username")[0].GetProperty("error").GetString());
        Assert.Equal("must contain only letters, numbers and underscores", details.GetProperty("username")[0].GetProperty("description").GetString());
        Assert.Equal("ERR_INVALID", details.GetProperty("email")[0].GetProperty("error").GetString());
        Assert.Equal("ERR_TOO_SHORT", details.GetProperty("password")[0].GetProperty("error").GetString());
        Assert.Equal("ERR_ACCEPTED", details.GetProperty("agreement")[0].GetProperty("error").GetString());
        Assert.Equal("ERR_INCLUSION", details.GetProperty("locale")[0].GetProperty("error").GetString());
        Assert.Contains("Password is too short (minimum is 8 characters)", answer.Error);
        Assert.Contains("Service agreement must be accepted", answer.Error);
        Assert.DoesNotContain("bad name!", app.RunCli("accounts", "list").Stdout);
    }

    [Fact]
    public async Task The_instance_says_registrations_are_open_and_gives_a_plain_version()
    {
        using var http = app.CreateClient();
        var v1 = await Answer.FromAsync(await http.GetAsync("/api/v1/instance"));
        Assert.True(v1.Json.GetProperty("registrations").GetBoolean());
        Assert.Matches(@"^\d+\.\d+\.\d+$", v1.Json.GetProperty("version").GetString());
        var v2 = await Answer.FromAsync(await http.GetAsync("/api/v2/instance"));
        Assert.True(v2.Json.GetProperty("registrations").GetProperty("enabled").GetBoolean());
        Assert.Equal(v1.Json.GetProperty("version").GetString(), v2.Json.GetProperty("version").GetString());
    }
}
