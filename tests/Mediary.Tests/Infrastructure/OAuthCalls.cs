using System.Net;
using System.Security.Cryptography;
using System.Text;
using Mediary.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace Mediary.Tests.Infrastructure;

/// <summary>A registered OAuth client, as an app keeps what POST /api/v1/apps answered.</summary>
public sealed record OAuthClient(string ClientId, string ClientSecret, string RedirectUri);

/// <summary>The steps an OAuth client takes against Mediary, over HTTP.</summary>
public static class OAuthCalls
{
    public const string Callback = "https://app.example/callback";

    public static async Task<OAuthClient> RegisterAsync(MediaryApp app, string redirectUri = Callback, string scopes = "read write")
    {
        using var client = app.CreateClient();
        var answer = await Answer.FromAsync(await client.PostAsync("/api/v1/apps", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_name"] = "Test app",
            ["redirect_uris"] = redirectUri,
            ["scopes"] = scopes,
        })));
        Assert.True(answer.Status == HttpStatusCode.OK, $"app registration: {answer}");
        return new OAuthClient(answer.Json.GetProperty("client_id").GetString()!, answer.Json.GetProperty("client_secret").GetString()!, redirectUri);
    }

    /// <summary>An account with a password, as <c>accounts create NAME --password</c> makes it.</summary>
    public static async Task<(string Username, string Password)> NewAccountAsync(MediaryApp app, bool admin = false)
    {
        var name = "u" + Guid.NewGuid().ToString("N")[..12];
        var password = "correct horse " + Guid.NewGuid().ToString("N")[..6];
        await app.Services.GetRequiredService<AccountStore>().CreateAsync(name, $"{name}@example.com", password, admin);
        return (name, password);
    }

    public static string AuthorizeUrl(OAuthClient client, string scope = "read write", string? state = "xyz", string? challenge = null) =>
        "/oauth/authorize?" + string.Join('&', new (string, string?)[]
        {
            ("response_type", "code"), ("client_id", client.ClientId), ("redirect_uri", client.RedirectUri), ("scope", scope), ("state", state),
            ("code_challenge", challenge), ("code_challenge_method", challenge is null ? null : "S256"),
        }.Where(pair => pair.Item2 is not null).Select(pair => $"{pair.Item1}={Uri.EscapeDataString(pair.Item2!)}"));

    /// <summary>Signs in, approves, and returns the code from the redirect to the application.</summary>
    public static async Task<string> ApproveAsync(MediaryApp app, OAuthClient client, (string Username, string Password) account, string scope = "read write",
        string? challenge = null)
    {
        using var browser = new Browser(app);
        var consent = await browser.AuthorizeAsync(AuthorizeUrl(client, scope, challenge: challenge), account.Username, account.Password);
        Assert.True(consent.Status == HttpStatusCode.OK, $"consent page: {consent}");
        var approved = await browser.SubmitAsync(consent, "/oauth/authorize", ("decision", "approve"));
        Assert.True(approved.Status == HttpStatusCode.Redirect, $"approval: {approved}");
        var location = new Uri(approved.Location!);
        Assert.StartsWith(client.RedirectUri, location.GetLeftPart(UriPartial.Path));
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(location.Query);
        Assert.Equal("xyz", query["state"].ToString());
        return query["code"].ToString();
    }

    public static async Task<Answer> TokenAsync(MediaryApp app, IDictionary<string, string> form, string? basic = null)
    {
        using var http = app.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Post, "/oauth/token") { Content = new FormUrlEncodedContent(form) };
        if (basic is not null) request.Headers.TryAddWithoutValidation("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(basic)));
        return await Answer.FromAsync(await http.SendAsync(request));
    }

    public static Task<Answer> ExchangeAsync(MediaryApp app, OAuthClient client, string code, string? verifier = null, string? secret = null,
        string? redirectUri = null)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["client_id"] = client.ClientId,
            ["client_secret"] = secret ?? client.ClientSecret,
            ["redirect_uri"] = redirectUri ?? client.RedirectUri,
        };
        if (verifier is not null) form["code_verifier"] = verifier;
        return TokenAsync(app, form);
    }

    /// <summary>RFC 7636's S256 challenge of a verifier.</summary>
    public static string Challenge(string verifier) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The OAuth error of a token endpoint answer: this status, this error name.</summary>
    public static void AssertOAuthError(Answer answer, HttpStatusCode status, string error)
    {
        Assert.True(answer.Status == status && answer.Error == error, $"expected {(int)status} {error}, got {answer}");
        Assert.False(string.IsNullOrEmpty(answer.Json.GetProperty("error_description").GetString()));
    }
}
