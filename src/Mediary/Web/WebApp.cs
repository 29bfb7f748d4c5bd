using System.Text.RegularExpressions;

namespace Mediary.Web;

/// <summary>
/// The web app (web/, built by web/build.mjs into a directory copied beside the server as
/// <c>webapp/</c>): <c>/</c> is its page, with a Content-Security-Policy that allows only its own
/// script and stylesheet; <c>/app/main-{hash}.js|css</c> are those, cached for a year (their names
/// change with their content) and sent precompressed (brotli or gzip) when the browser takes it.
/// </summary>
public static partial class WebApp
{
    /// <summary>Where the built app is: beside the server's own files.</summary>
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "webapp");

    public static IEndpointRouteBuilder MapWebApp(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", async (HttpContext http, MediaUrls urls) =>
        {
            var index = Path.Combine(Directory, "index.html");
            if (!File.Exists(index))
            {
                return Results.Text("The web app is not built: run scripts/build-web.sh (scripts/run.sh does), then start the server again.\n",
                    "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
            }
            var headers = http.Response.Headers;
            // Media come from this server or from the bucket's public base.
            var media = new Uri(urls.BaseFor(http.Request)).GetLeftPart(UriPartial.Authority);
            headers.ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; " +
                $"img-src 'self' blob: data: {media}; media-src 'self' {media}; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            // The page names the current assets: always asked again (cheaply, by its ETag-less body of 500 bytes).
            headers.CacheControl = "no-cache";
            return Results.File(index, "text/html; charset=utf-8");
        }).ExcludeFromDescription();

        app.MapGet("/app/{file}", (string file, HttpContext http) =>
        {
            var match = AssetName().Match(file);
            var path = Path.Combine(Directory, "app", file);
            if (!match.Success || !File.Exists(path)) return Results.NotFound();
            var contentType = match.Groups[1].Value == "js" ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
            var headers = http.Response.Headers;
            headers.CacheControl = "public, max-age=31536000, immutable";
            headers.Vary = "Accept-Encoding";
            headers.XContentTypeOptions = "nosniff";
            var accepted = http.Request.Headers.AcceptEncoding.ToString();
            foreach (var (coding, extension) in new[] { ("br", ".br"), ("gzip", ".gz") })
            {
                if (!accepted.Contains(coding, StringComparison.OrdinalIgnoreCase) || !File.Exists(path + extension)) continue;
                headers.ContentEncoding = coding;
                return Results.File(path + extension, contentType);
            }
            return Results.File(path, contentType);
        }).ExcludeFromDescription();
        return app;
    }

    [GeneratedRegex("^main-[0-9a-f]{16}\\.(js|css)$")]
    private static partial Regex AssetName();
}
