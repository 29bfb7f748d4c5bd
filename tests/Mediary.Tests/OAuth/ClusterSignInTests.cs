using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Mediary.Tests.EndToEnd;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.OAuth;

/// <summary>
/// Signing in across two API processes on one PostgreSQL database, as behind a load balancer that
/// sends each request anywhere: each step of the flow goes to the other process, so the cookie and
/// antiforgery keys, the codes and the revocation must all be shared through the database.
/// </summary>
public sealed partial class ClusterSignInTests
{
    [Fact]
    public async Task Each_step_of_the_flow_may_reach_another_api_process()
    {
        Assert.SkipUnless(TestDatabase.OnPostgres && TestBucket.InUse, "two API processes need PostgreSQL and S3 storage (the suite's second run starts both)");
        await using var first = ServerProcess.Create(serveArguments: ["--no-workers"]);
        await using var second = ServerProcess.Sibling(first, ["--no-workers"]);
        var created = await first.RunCliAsync("accounts", "create", "clusteruser", "--password", "cluster password 1");
        Assert.True(created.ExitCode == 0, created.ToString());
        await Task.WhenAll(first.LaunchAsync(), second.LaunchAsync());
        var apis = new[] { first, second };
        var cookies = new CookieContainer();
        var clients = apis.Select(api => new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false, UseCookies = true })
        {
            BaseAddress = api.BaseUri,
        }).ToArray();
        // One browser: the cookie jar is keyed by host, and both processes listen on 127.0.0.1, so it carries over.
        var step = 0;
        HttpClient Next() => clients[step++ % 2];

        var registered = await Answer.FromAsync(await Next().PostAsync("/api/v1/apps", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_name"] = "Cluster app",
            ["redirect_uris"] = "https://app.example/callback",
            ["scopes"] = "read write",
        })));
        var client = new OAuthClient(registered.Json.GetProperty("client_id").GetString()!, registered.Json.GetProperty("client_secret").GetString()!,
            "https://app.example/callback");

        var toSignIn = await Next().GetAsync(OAuthCalls.AuthorizeUrl(client));
        Assert.Equal(HttpStatusCode.Redirect, toSignIn.StatusCode);
        var signInPage = await (await Next().GetAsync(toSignIn.Headers.Location!.OriginalString)).Content.ReadAsStringAsync();
        var signedIn = await Next().PostAsync("/auth/sign_in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["authenticity_token"] = Hidden(signInPage, "authenticity_token"),
            ["return_to"] = Hidden(signInPage, "return_to"),
            ["username"] = "clusteruser",
            ["password"] = "cluster password 1",
        }));
        Assert.True(signedIn.StatusCode == HttpStatusCode.Redirect, await signedIn.Content.ReadAsStringAsync());
        var consent = await (await Next().GetAsync(signedIn.Headers.Location!.OriginalString)).Content.ReadAsStringAsync();
        Assert.Contains("Authorization required", consent);
        var form = Hiddens().Matches(consent).ToDictionary(match => match.Groups[1].Value, match => WebUtility.HtmlDecode(match.Groups[2].Value));
        form["decision"] = "approve";
        var approved = await Next().PostAsync("/oauth/authorize", new FormUrlEncodedContent(form));
        Assert.True(approved.StatusCode == HttpStatusCode.Redirect, await approved.Content.ReadAsStringAsync());
        var code = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(approved.Headers.Location!.Query)["code"].ToString();

        var token = await Answer.FromAsync(await Next().PostAsync("/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["client_id"] = client.ClientId,
            ["client_secret"] = client.ClientSecret,
            ["redirect_uri"] = client.RedirectUri,
        })));
        Assert.True(token.Status == HttpStatusCode.OK, token.ToString());
        var accessToken = token.Json.GetProperty("access_token").GetString()!;

        // Revoked through one process, refused at once by the other.
        var revoked = await Next().PostAsync("/oauth/revoke", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = client.ClientId,
            ["client_secret"] = client.ClientSecret,
            ["token"] = accessToken,
        }));
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        var check = new HttpRequestMessage(HttpMethod.Get, "/api/v1/apps/verify_credentials");
        check.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        (await Answer.FromAsync(await Next().SendAsync(check))).AssertError(HttpStatusCode.Unauthorized, "The access token was revoked");
        foreach (var http in clients) http.Dispose();
    }

    private static string Hidden(string html, string name) =>
        WebUtility.HtmlDecode(Regex.Match(html, $"<input type=\"hidden\" name=\"{name}\" value=\"([^\"]*)\">").Groups[1].Value);

    [GeneratedRegex("""<input type="hidden" name="([^"]+)" value="([^"]*)">""")]
    private static partial Regex Hiddens();
}
