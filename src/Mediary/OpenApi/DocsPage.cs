using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Mediary.OpenApi;

/// <summary>
/// The Content-Security-Policy of Scalar's reference page at <c>/docs</c>. Scalar.AspNetCore serves its
/// JavaScript itself (embedded), so everything comes from this server; its page starts it with one inline
/// module script, allowed by its SHA-256 rather than by 'unsafe-inline'. Its components inject styles,
/// hence style-src 'unsafe-inline'. Only the page's own endpoint does this, never another request.
/// </summary>
internal static partial class DocsPage
{
    public static TBuilder WithDocsPolicy<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            var serve = endpoint.RequestDelegate!;
            endpoint.RequestDelegate = http => Path.HasExtension(http.Request.Path.Value) ? serve(http) : ServePageAsync(http, serve);
        });
        return builder;
    }

    private static async Task ServePageAsync(HttpContext http, RequestDelegate serve)
    {
        var original = http.Response.Body;
        using var page = new MemoryStream();
        http.Response.Body = page;
        try
        {
            await serve(http);
        }
        finally
        {
            http.Response.Body = original;
        }

        var html = Encoding.UTF8.GetString(page.GetBuffer(), 0, (int)page.Length);
        var hashes = InlineScript().Matches(html)
            .Select(match => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(match.Groups[1].Value)))}'");
        http.Response.Headers.ContentSecurityPolicy = string.Join("; ",
            "default-src 'none'",
            $"script-src 'self' {string.Join(' ', hashes)}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'");
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        if (http.Response.ContentLength is not null) http.Response.ContentLength = page.Length;
        page.Position = 0;
        await page.CopyToAsync(original, http.RequestAborted);
    }

    [GeneratedRegex("<script(?:\\s+type=\"module\")?>(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex InlineScript();
}
