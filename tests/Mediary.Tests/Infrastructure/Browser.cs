using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Mediary.Tests.Infrastructure;

/// <summary>
/// What a browser does on the sign-in and consent pages, over HTTP: keeps cookies, does not follow
/// redirects (the test looks at each), and posts the forms with the hidden fields the page carries.
/// </summary>
public sealed partial class Browser(MediaryApp app) : IDisposable
{
    public HttpClient Client { get; } = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public async Task<Page> GetAsync(string url) => await Page.FromAsync(await Client.GetAsync(url));

    /// <summary>Posts the page's form that has <paramref name="action"/>, with its hidden fields and <paramref name="fields"/>.</summary>
    public async Task<Page> SubmitAsync(Page page, string action, params (string Name, string Value)[] fields)
    {
        var form = page.Form(action);
        foreach (var (name, value) in fields) form[name] = value;
        return await PostAsync(action, form);
    }

    public async Task<Page> PostAsync(string action, IDictionary<string, string> form) =>
        await Page.FromAsync(await Client.PostAsync(action, new FormUrlEncodedContent(form)));

    /// <summary>Opens an authorization URL, signs in when asked, and returns the page that follows (the consent page, usually).</summary>
    public async Task<Page> AuthorizeAsync(string authorizeUrl, string username, string password)
    {
        var page = await GetAsync(authorizeUrl);
        if (page.Location is { } signIn && signIn.StartsWith("/auth/sign_in", StringComparison.Ordinal))
        {
            var form = await GetAsync(signIn);
            var signedIn = await SubmitAsync(form, "/auth/sign_in", ("username", username), ("password", password));
            Assert.True(signedIn.Status == HttpStatusCode.Redirect, $"sign-in should redirect back: {signedIn}");
            page = await GetAsync(signedIn.Location!);
        }
        return page;
    }

    public void Dispose() => Client.Dispose();

    public sealed partial record Page(HttpStatusCode Status, string Html, HttpResponseMessage Response)
    {
        public string? Location => Response.Headers.Location?.OriginalString;

        public static async Task<Page> FromAsync(HttpResponseMessage response) =>
            new(response.StatusCode, await response.Content.ReadAsStringAsync(), response);

        /// <summary>The hidden inputs of the form posting to <paramref name="action"/>.</summary>
        public Dictionary<string, string> Form(string action)
        {
            var form = FormPattern().Matches(Html).FirstOrDefault(match => WebUtility.HtmlDecode(match.Groups["action"].Value) == action);
            Assert.True(form is not null, $"no form posting to {action} on the page:\n{Html}");
            return HiddenPattern().Matches(form.Groups["body"].Value)
                .ToDictionary(match => match.Groups["name"].Value, match => WebUtility.HtmlDecode(match.Groups["value"].Value));
        }

        public override string ToString() => $"{(int)Status} {Location} {Html}";

        [GeneratedRegex("""<form method="post" action="(?<action>[^"]*)"[^>]*>(?<body>.*?)</form>""", RegexOptions.Singleline)]
        private static partial Regex FormPattern();

        [GeneratedRegex("""<input type="hidden" name="(?<name>[^"]+)" value="(?<value>[^"]*)">""")]
        private static partial Regex HiddenPattern();
    }
}
