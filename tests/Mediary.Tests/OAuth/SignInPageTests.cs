using System.Net;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.OAuth;

/// <summary>The sign-in and consent pages, as a browser uses them (over HTTP; the real browser's checks are in EndToEnd).</summary>
public sealed class SignInPageTests(OAuthApp app) : IClassFixture<OAuthApp>
{
    [Fact]
    public async Task A_wrong_password_shows_an_error_and_issues_no_code()
    {
        var client = await OAuthCalls.RegisterAsync(app);
        var account = await OAuthCalls.NewAccountAsync(app);
        using var browser = new Browser(app);
        var start = await browser.GetAsync(OAuthCalls.AuthorizeUrl(client));
        Assert.Equal(HttpStatusCode.Redirect, start.Status);
        var form = await browser.GetAsync(start.Location!);

        var failed = await browser.SubmitAsync(form, "/auth/sign_in", ("username", account.Username), ("password", "wrong password"));
        Assert.Equal(HttpStatusCode.Unauthorized, failed.Status);
        Assert.Contains("Invalid username, e-mail address or password.", failed.Html);
        // Not signed in: the authorization still asks for a sign-in.
        var again = await browser.GetAsync(OAuthCalls.AuthorizeUrl(client));
        Assert.StartsWith("/auth/sign_in", again.Location);
    }

    [Fact]
    public async Task An_unknown_name_looks_the_same_as_a_wrong_password()
    {
        using var browser = new Browser(app);
        var form = await browser.GetAsync("/auth/sign_in");
        var unknown = await browser.SubmitAsync(form, "/auth/sign_in", ("username", "nobody_" + Guid.NewGuid().ToString("N")[..8]), ("password", "whatever1"));
        var known = await OAuthCalls.NewAccountAsync(app);
        var wrong = await browser.SubmitAsync(await browser.GetAsync("/auth/sign_in"), "/auth/sign_in", ("username", known.Username), ("password", "whatever1"));
        Assert.Equal(unknown.Status, wrong.Status);
        Assert.Contains("Invalid username, e-mail address or password.", unknown.Html);
        Assert.Contains("Invalid username, e-mail address or password.", wrong.Html);
    }

    [Fact]
    public async Task The_email_address_signs_in_too()
    {
        var client = await OAuthCalls.RegisterAsync(app);
        var account = await OAuthCalls.NewAccountAsync(app);
        using var browser = new Browser(app);
        var consent = await browser.AuthorizeAsync(OAuthCalls.AuthorizeUrl(client), $"{account.Username.ToUpperInvariant()}@EXAMPLE.COM", account.Password);
        Assert.Contains("Authorization required", consent.Html);
        Assert.Contains("<strong class=\"app-name\">Test app</strong>", consent.Html);
    }

    [Fact]
    public async Task Repeated_failures_are_throttled_for_a_while_even_with_the_right_password()
    {
        var account = await OAuthCalls.NewAccountAsync(app);
        using var browser = new Browser(app);
        for (var i = 0; i < 3; i++)
        {
            var failed = await browser.SubmitAsync(await browser.GetAsync("/auth/sign_in"), "/auth/sign_in", ("username", account.Username), ("password", $"wrong {i}"));
            Assert.Equal(HttpStatusCode.Unauthorized, failed.Status);
        }
        var throttled = await browser.SubmitAsync(await browser.GetAsync("/auth/sign_in"), "/auth/sign_in", ("username", account.Username), ("password", account.Password));
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.Status);
        Assert.Contains("Try again after", throttled.Html);
        Assert.NotNull(throttled.Response.Headers.RetryAfter);

        // The window passes and the owner signs in.
        app.Clock.Advance(TimeSpan.FromHours(1));
        var later = await browser.SubmitAsync(await browser.GetAsync("/auth/sign_in"), "/auth/sign_in", ("username", account.Username), ("password", account.Password));
        Assert.Equal(HttpStatusCode.Redirect, later.Status);
    }

    [Fact]
    public async Task Forms_without_this_sites_antiforgery_token_are_refused()
    {
        var account = await OAuthCalls.NewAccountAsync(app);
        using var browser = new Browser(app);
        await browser.GetAsync("/auth/sign_in");
        var forged = await browser.PostAsync("/auth/sign_in", new Dictionary<string, string> { ["username"] = account.Username, ["password"] = account.Password });
        Assert.Equal(HttpStatusCode.BadRequest, forged.Status);
        Assert.Null(forged.Location);

        var client = await OAuthCalls.RegisterAsync(app);
        var consent = await browser.AuthorizeAsync(OAuthCalls.AuthorizeUrl(client), account.Username, account.Password);
        var fields = consent.Form("/oauth/authorize");
        fields.Remove("authenticity_token");
        fields["decision"] = "approve";
        var forgedApproval = await browser.PostAsync("/oauth/authorize", fields);
        Assert.Equal(HttpStatusCode.BadRequest, forgedApproval.Status);
        Assert.Null(forgedApproval.Location);
    }

    [Fact]
    public async Task Denying_sends_access_denied_back_with_the_state()
    {
        var client = await OAuthCalls.RegisterAsync(app);
        var account = await OAuthCalls.NewAccountAsync(app);
        using var browser = new Browser(app);
        var consent = await browser.AuthorizeAsync(OAuthCalls.AuthorizeUrl(client), account.Username, account.Password);
        var denied = await browser.SubmitAsync(consent, "/oauth/authorize", ("decision", "deny"));
        Assert.Equal(HttpStatusCode.Redirect, denied.Status);
        Assert.StartsWith(OAuthCalls.Callback + "?", denied.Location);
        Assert.Contains("error=access_denied", denied.Location);
        Assert.Contains("state=xyz", denied.Location);
        Assert.DoesNotContain("code=", denied.Location);
    }

    [Theory]
    [InlineData("https://evil.example/callback")]
    [InlineData("https://app.example/callback/../other")]
    [InlineData("https://app.example.evil.example/callback")]
    public async Task An_unregistered_redirect_uri_gets_an_error_page_and_no_redirect(string redirectUri)
    {
        var client = await OAuthCalls.RegisterAsync(app);
        using var browser = new Browser(app);
        var page = await browser.GetAsync(OAuthCalls.AuthorizeUrl(client with { RedirectUri = redirectUri }));
        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Null(page.Location);
        Assert.Contains("The redirect uri included is not valid.", page.Html);
        Assert.Contains("frame-ancestors 'none'", page.Response.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task The_out_of_band_uri_shows_the_code_on_a_page()
    {
        var client = await OAuthCalls.RegisterAsync(app, "urn:ietf:wg:oauth:2.0:oob");
        var account = await OAuthCalls.NewAccountAsync(app);
        using var browser = new Browser(app);
        var consent = await browser.AuthorizeAsync(OAuthCalls.AuthorizeUrl(client), account.Username, account.Password);
        var approved = await browser.SubmitAsync(consent, "/oauth/authorize", ("decision", "approve"));
        Assert.StartsWith("/oauth/authorize/native?code=", approved.Location);
        var shown = await browser.GetAsync(approved.Location!);
        var code = System.Text.RegularExpressions.Regex.Match(shown.Html, "<code id=\"authorization-code\">([^<]+)</code>").Groups[1].Value;
        Assert.Equal(HttpStatusCode.OK, (await OAuthCalls.ExchangeAsync(app, client, code)).Status);
    }

    [Fact]
    public async Task After_signing_in_the_browser_goes_back_only_to_this_server()
    {
        var account = await OAuthCalls.NewAccountAsync(app);
        foreach (var returnTo in new[] { "//evil.example/", "https://evil.example/", "/\\evil.example" })
        {
            using var browser = new Browser(app);
            var form = await browser.GetAsync("/auth/sign_in?return_to=" + Uri.EscapeDataString(returnTo));
            var fields = form.Form("/auth/sign_in");
            fields["username"] = account.Username;
            fields["password"] = account.Password;
            fields["return_to"] = returnTo;
            var signedIn = await browser.PostAsync("/auth/sign_in", fields);
            Assert.Equal(HttpStatusCode.Redirect, signedIn.Status);
            Assert.Equal("/auth/sign_in", signedIn.Location);
        }
    }

    [Fact]
    public async Task Admin_scopes_are_granted_only_to_admins()
    {
        var client = await OAuthCalls.RegisterAsync(app, scopes: "read admin:read");
        var user = await OAuthCalls.NewAccountAsync(app);
        var admin = await OAuthCalls.NewAccountAsync(app, admin: true);

        var userCode = await OAuthCalls.ApproveAsync(app, client, user, "read admin:read");
        Assert.Equal("read", (await OAuthCalls.ExchangeAsync(app, client, userCode)).Json.GetProperty("scope").GetString());
        var adminCode = await OAuthCalls.ApproveAsync(app, client, admin, "read admin:read");
        Assert.Equal("read admin:read", (await OAuthCalls.ExchangeAsync(app, client, adminCode)).Json.GetProperty("scope").GetString());
    }

    [Fact]
    public async Task A_scope_the_app_did_not_register_is_an_error_page()
    {
        var client = await OAuthCalls.RegisterAsync(app, scopes: "read");
        using var browser = new Browser(app);
        var page = await browser.GetAsync(OAuthCalls.AuthorizeUrl(client, scope: "read write"));
        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Contains("The requested scope is invalid, unknown, or malformed.", page.Html);
    }
}
