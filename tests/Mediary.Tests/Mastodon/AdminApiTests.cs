using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Mediary.Auth;
using Mediary.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Mediary.Tests.Mastodon;

/// <summary>The admin API's accounts and tokens, and who may use it, over HTTP.</summary>
public sealed class AdminApiTests(MediaryApp app) : IClassFixture<MediaryApp>
{
    private const string Admin = "/api/v1/mediary/admin";

    [Fact]
    public async Task Every_admin_route_refuses_a_token_of_an_account_that_is_not_an_admin()
    {
        var notAdmin = await app.NewUserAsync("admin:read admin:write");
        foreach (var (method, path) in new[]
        {
            ("GET", "/accounts"), ("GET", "/jobs"), ("GET", "/tokens"), ("POST", "/tokens"), ("DELETE", "/tokens/1"),
            ("POST", "/jobs/1/retry"), ("POST", "/jobs/1/discard"),
        })
        {
            var answer = await Answer.FromAsync(await notAdmin.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), Admin + path)));
            answer.AssertError(HttpStatusCode.Forbidden, "This action is not allowed");
        }
    }

    [Fact]
    public async Task Admin_scopes_follow_mastodons_hierarchy_accounts_parts_do_not_reach_the_job_queue_and_read_does_not_write()
    {
        var accountsOnly = await app.NewUserAsync("admin:read:accounts", admin: true);
        Assert.Equal(HttpStatusCode.OK, (await accountsOnly.Client.GetAsync($"{Admin}/accounts")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await accountsOnly.Client.GetAsync($"{Admin}/tokens")).StatusCode);
        (await Answer.FromAsync(await accountsOnly.Client.GetAsync($"{Admin}/jobs"))).AssertError(HttpStatusCode.Forbidden,
            "This action is outside the authorized scopes");

        var reader = await app.NewUserAsync("admin:read", admin: true);
        Assert.Equal(HttpStatusCode.OK, (await reader.Client.GetAsync($"{Admin}/jobs")).StatusCode);
        (await Answer.FromAsync(await reader.Client.PostAsync($"{Admin}/jobs/1/retry", null))).AssertError(HttpStatusCode.Forbidden,
            "This action is outside the authorized scopes");
        (await Answer.FromAsync(await reader.Client.DeleteAsync($"{Admin}/tokens/1"))).AssertError(HttpStatusCode.Forbidden,
            "This action is outside the authorized scopes");

        var writer = await app.NewUserAsync("admin:write:accounts", admin: true);
        (await Answer.FromAsync(await writer.Client.DeleteAsync($"{Admin}/tokens/1"))).AssertError(HttpStatusCode.NotFound, "Record not found");
        (await Answer.FromAsync(await writer.Client.PostAsync($"{Admin}/jobs/1/retry", null))).AssertError(HttpStatusCode.Forbidden,
            "This action is outside the authorized scopes");
    }

    [Fact]
    public async Task An_admin_lists_accounts_newest_first_with_email_admin_flag_and_the_storage_they_use_paged()
    {
        var accounts = app.Services.GetRequiredService<AccountStore>();
        var withEmail = await accounts.CreateAsync("u" + Guid.NewGuid().ToString("N")[..12], email: $"{Guid.NewGuid():N}@example.com");
        var user = await app.NewUserAsync();
        Assert.Equal(HttpStatusCode.OK, (await user.UploadAsync(Fixtures.Path("600x400.jpg"))).Status);
        var own = (await Answer.FromAsync(await user.Client.GetAsync("/api/v1/mediary/usage"))).Json;
        var admin = await app.NewUserAsync("admin:read", admin: true);

        var response = await admin.Client.GetAsync($"{Admin}/accounts?limit=2");
        var page = await Answer.FromAsync(response);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var listed = page.Json.EnumerateArray().ToList();
        Assert.Equal([admin.Account.Id.ToString(), user.Account.Id.ToString()], listed.Select(account => account.GetProperty("id").GetString()));
        Assert.True(listed[0].GetProperty("admin").GetBoolean());
        Assert.False(listed[1].GetProperty("admin").GetBoolean());
        Assert.Equal(user.Account.Username, listed[1].GetProperty("username").GetString());
        var usage = listed[1].GetProperty("usage");
        Assert.Equal(own.GetProperty("used_bytes").GetInt64(), usage.GetProperty("used_bytes").GetInt64());
        Assert.True(usage.GetProperty("used_bytes").GetInt64() > 0);
        Assert.Equal(1, usage.GetProperty("media_count").GetInt64());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", listed[1].GetProperty("created_at").GetString());

        // The next page, from the Link header, goes on with the older account that has an e-mail address.
        var next = Assert.Single(response.Headers.GetValues("Link"));
        Assert.Matches($"^<http://[^>]+{Admin}/accounts\\?limit=2&max_id={user.Account.Id}>; rel=\"next\"$", next);
        var older = (await Answer.FromAsync(await admin.Client.GetAsync(next[1..next.IndexOf('>')]))).Json.EnumerateArray().First();
        Assert.Equal(withEmail.Id.ToString(), older.GetProperty("id").GetString());
        Assert.Equal(withEmail.Email, older.GetProperty("email").GetString());
        Assert.Equal(0, older.GetProperty("usage").GetProperty("used_bytes").GetInt64());
    }

    [Fact]
    public async Task An_admin_creates_a_token_for_an_account_sees_it_listed_without_its_secret_and_revokes_it_so_it_answers_401()
    {
        var user = await app.NewUserAsync();
        var admin = await app.NewUserAsync("admin:read admin:write", admin: true);

        var created = await Answer.FromAsync(await admin.Client.PostAsJsonAsync($"{Admin}/tokens",
            new { username = user.Account.Username, scopes = "read write" }));
        Assert.Equal(HttpStatusCode.OK, created.Status);
        var secret = created.Json.GetProperty("access_token").GetString()!;
        var tokenId = created.Id;
        Assert.Equal(user.Account.Id.ToString(), created.Json.GetProperty("account_id").GetString());
        Assert.Equal(["read", "write"], created.Json.GetProperty("scopes").EnumerateArray().Select(scope => scope.GetString()));

        // The new token works as the account.
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        var me = await Answer.FromAsync(await client.GetAsync("/api/v1/accounts/verify_credentials"));
        Assert.Equal(HttpStatusCode.OK, me.Status);
        Assert.Equal(user.Account.Username, me.Json.GetProperty("username").GetString());

        // Listed for the account, newest first, and never with a secret.
        var listed = await Answer.FromAsync(await admin.Client.GetAsync($"{Admin}/tokens?account_id={user.Account.Id}"));
        Assert.Equal(HttpStatusCode.OK, listed.Status);
        Assert.DoesNotContain(secret, listed.Body);
        Assert.DoesNotContain(user.Token, listed.Body);
        var tokens = listed.Json.EnumerateArray().ToList();
        Assert.Equal(2, tokens.Count);
        Assert.Equal(tokenId, tokens[0].GetProperty("id").GetString());
        Assert.False(tokens[0].TryGetProperty("access_token", out _));
        Assert.Equal(JsonValueKind.Null, tokens[0].GetProperty("application").ValueKind);

        var revoked = await Answer.FromAsync(await admin.Client.DeleteAsync($"{Admin}/tokens/{tokenId}"));
        Assert.Equal(HttpStatusCode.OK, revoked.Status);
        Assert.Equal("{}", revoked.Body);
        (await Answer.FromAsync(await client.GetAsync("/api/v1/accounts/verify_credentials"))).AssertError(HttpStatusCode.Unauthorized,
            "The access token was revoked");
        // The account's other token still works, and the revoked one is no longer listed.
        Assert.Equal(HttpStatusCode.OK, (await user.Client.GetAsync("/api/v1/accounts/verify_credentials")).StatusCode);
        var after = (await Answer.FromAsync(await admin.Client.GetAsync($"{Admin}/tokens?account_id={user.Account.Id}"))).Json;
        Assert.DoesNotContain(after.EnumerateArray(), token => token.GetProperty("id").GetString() == tokenId);
    }

    [Fact]
    public async Task A_tokens_use_shows_in_last_used_at_which_is_written_once_a_minute_not_on_every_request()
    {
        var user = await app.NewUserAsync();
        var admin = await app.NewUserAsync("admin:read admin:write", admin: true);
        var created = await Answer.FromAsync(await admin.Client.PostAsJsonAsync($"{Admin}/tokens",
            new { username = user.Account.Username, scopes = "read" }));
        Assert.Equal(JsonValueKind.Null, created.Json.GetProperty("last_used_at").ValueKind);
        async Task<JsonElement> ListedAsync() => Assert.Single((await Answer.FromAsync(
            await admin.Client.GetAsync($"{Admin}/tokens?account_id={user.Account.Id}"))).Json.EnumerateArray(),
            token => token.GetProperty("id").GetString() == created.Id).GetProperty("last_used_at");
        Assert.Equal(JsonValueKind.Null, (await ListedAsync()).ValueKind);

        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Json.GetProperty("access_token").GetString());
        var before = DateTimeOffset.UtcNow.AddMilliseconds(-1);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/accounts/verify_credentials")).StatusCode);
        var used = (await ListedAsync()).GetString()!;
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", used);
        Assert.InRange(DateTimeOffset.Parse(used, System.Globalization.CultureInfo.InvariantCulture), before, DateTimeOffset.UtcNow);

        // Used again within the minute (OAuth:TokenLastUsedIntervalSeconds): nothing is written.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/accounts/verify_credentials")).StatusCode);
        Assert.Equal(used, (await ListedAsync()).GetString());
    }

    [Fact]
    public async Task Creating_a_token_refuses_admin_scopes_for_an_account_that_is_not_an_admin_unknown_scopes_and_unknown_accounts()
    {
        var user = await app.NewUserAsync();
        var admin = await app.NewUserAsync("admin:write", admin: true);
        async Task<Answer> CreateAsync(Dictionary<string, string> form) =>
            await Answer.FromAsync(await admin.Client.PostAsync($"{Admin}/tokens", new FormUrlEncodedContent(form)));

        (await CreateAsync(new() { ["account_id"] = user.Account.Id.ToString(), ["scopes"] = "read admin:read" }))
            .AssertError(HttpStatusCode.UnprocessableEntity, "Validation failed: Admin scopes are granted only to accounts that are admins");
        (await CreateAsync(new() { ["account_id"] = user.Account.Id.ToString(), ["scopes"] = "read:everything" }))
            .AssertError(HttpStatusCode.UnprocessableEntity, "Validation failed: Scope read:everything is not one this server knows");
        (await CreateAsync(new() { ["account_id"] = "12345", ["scopes"] = "read" })).AssertError(HttpStatusCode.NotFound, "Record not found");
        (await CreateAsync(new() { ["scopes"] = "read" }))
            .AssertError(HttpStatusCode.UnprocessableEntity, "Validation failed: Account is required: give account_id or username");

        // A direct API key is a token of scope direct alone: it works on the direct face.
        var key = await CreateAsync(new() { ["account_id"] = user.Account.Id.ToString(), ["scopes"] = "direct" });
        Assert.Equal(HttpStatusCode.OK, key.Status);
        using var direct = app.CreateClient();
        direct.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Json.GetProperty("access_token").GetString());
        Assert.Equal(HttpStatusCode.OK, (await direct.GetAsync("/v1/usage")).StatusCode);
    }
}
