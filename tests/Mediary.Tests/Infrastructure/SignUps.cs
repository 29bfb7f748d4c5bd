using System.Net.Http.Headers;
using Mediary.Auth;
using Mediary.OAuth;
using Microsoft.Extensions.DependencyInjection;

namespace Mediary.Tests.Infrastructure;

/// <summary>POST /api/v1/accounts as an app sends it: with its own token (client_credentials), the fields as a form.</summary>
public static class SignUps
{
    /// <summary>A client carrying an application's own token, with no user, as client_credentials gives it.</summary>
    public static async Task<HttpClient> AppClientAsync(MediaryApp app, string appScopes = "read write", string tokenScopes = "read write")
    {
        var registered = await app.Services.GetRequiredService<ApplicationStore>().CreateAsync("Sign-up app", OAuthCalls.Callback, appScopes, null, default);
        var token = await app.Services.GetRequiredService<TokenStore>().IssueAsync(null, registered.Application.Id, tokenScopes);
        var http = app.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        return http;
    }

    public static string NewName() => "r" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>Every field as a client fills them in, with <paramref name="overrides"/> replacing some (null: leave the field out).</summary>
    public static FormUrlEncodedContent Form(string username, params (string Field, string? Value)[] overrides)
    {
        var fields = new Dictionary<string, string?>
        {
            ["username"] = username,
            ["email"] = $"{username}@example.com",
            ["password"] = "a good password",
            ["agreement"] = "true",
            ["locale"] = "en",
        };
        foreach (var (field, value) in overrides) fields[field] = value;
        return new FormUrlEncodedContent(fields.Where(pair => pair.Value is not null).Select(pair => new KeyValuePair<string, string>(pair.Key, pair.Value!)));
    }

    public static async Task<Answer> SignUpAsync(this HttpClient http, HttpContent content) =>
        await Answer.FromAsync(await http.PostAsync("/api/v1/accounts", content));

    /// <summary>The account <paramref name="username"/> signed up as, and a client carrying the token the sign-up answered with.</summary>
    public static async Task<User> UserFromAsync(MediaryApp app, Answer signedUp, string username)
    {
        var account = await app.Services.GetRequiredService<AccountStore>().FindAsync(username);
        Assert.NotNull(account);
        var token = signedUp.Json.GetProperty("access_token").GetString()!;
        var http = app.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new User(account, token, http);
    }
}
