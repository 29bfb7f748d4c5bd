using System.Text;
using System.Text.Encodings.Web;

namespace Mediary.OAuth;

/// <summary>
/// The server-rendered pages of signing in: one layout, one stylesheet (no inline style or script, so
/// the Content-Security-Policy needs no 'unsafe-inline'), never cached, never framed.
/// </summary>
public static class Pages
{
    public const string StylesheetPath = "/auth/pages.css";

    public static string Encode(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    /// <summary>A whole page around <paramref name="body"/> (already HTML).</summary>
    /// <param name="allowFormRedirects">
    /// The consent page's form is answered with a redirect to the application, and Chrome applies
    /// <c>form-action</c> to where a form's redirect leads: that page has no <c>form-action</c>, as in Mastodon.
    /// </param>
    public static IResult Render(string title, string body, int status = StatusCodes.Status200OK, bool allowFormRedirects = false) =>
        new PageResult(status, $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="referrer" content="no-referrer">
            <title>{Encode(title)} · Mediary</title>
            <link rel="stylesheet" href="{StylesheetPath}">
            </head>
            <body>
            <main class="card">
            {body}
            </main>
            </body>
            </html>
            """, allowFormRedirects);

    public static IResult Error(string description, int status) => Render("An error has occurred", $"""
        <h1>An error has occurred</h1>
        <p class="error-description">{Encode(description)}</p>
        """, status);

    public static IEndpointRouteBuilder MapPageAssets(this IEndpointRouteBuilder app)
    {
        app.MapGet(StylesheetPath, (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=86400";
            return Results.Text(Stylesheet, "text/css; charset=utf-8", Encoding.UTF8);
        });
        return app;
    }

    private sealed class PageResult(int status, string html, bool allowFormRedirects) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            var headers = http.Response.Headers;
            headers.ContentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'" +
                (allowFormRedirects ? "" : "; form-action 'self'");
            headers.XFrameOptions = "DENY";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers.CacheControl = "no-store";
            http.Response.StatusCode = status;
            http.Response.ContentType = "text/html; charset=utf-8";
            return http.Response.WriteAsync(html, http.RequestAborted);
        }
    }

    private const string Stylesheet = """
        :root { color-scheme: light dark; --accent: #4338ca; --error: #b91c1c; --muted: #52525b; --line: #d4d4d8; --card: #ffffff; --page: #f4f4f5; --text: #18181b; }
        @media (prefers-color-scheme: dark) {
          :root { --accent: #a5b4fc; --error: #fca5a5; --muted: #a1a1aa; --line: #3f3f46; --card: #18181b; --page: #09090b; --text: #f4f4f5; }
        }
        *, *::before, *::after { box-sizing: border-box; }
        html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 100%; line-height: 1.5; }
        body { margin: 0; min-height: 100vh; background: var(--page); color: var(--text); display: flex; align-items: flex-start; justify-content: center; padding: 2rem 1rem; }
        .card { width: 100%; max-width: 28rem; background: var(--card); border: 1px solid var(--line); border-radius: 0.75rem; padding: 1.5rem; overflow-wrap: anywhere; }
        h1 { font-size: 1.375rem; margin: 0 0 1rem; }
        p { margin: 0 0 1rem; }
        label { display: block; font-weight: 600; margin: 0 0 0.25rem; }
        input[type=text], input[type=password] { display: block; width: 100%; font: inherit; padding: 0.625rem 0.75rem; margin: 0 0 1rem;
          border: 1px solid var(--muted); border-radius: 0.375rem; background: var(--card); color: var(--text); }
        button { font: inherit; font-weight: 600; padding: 0.625rem 1.25rem; border-radius: 0.375rem; border: 2px solid var(--accent); cursor: pointer; }
        button.primary { background: var(--accent); color: var(--card); }
        button.secondary { background: transparent; color: var(--accent); }
        input:focus-visible, button:focus-visible, a:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
        .actions { display: flex; flex-wrap: wrap; gap: 0.75rem; margin-top: 1.25rem; }
        form + p, form + form { margin-top: 1.25rem; }
        .error, .error-description { color: var(--error); font-weight: 600; }
        .muted { color: var(--muted); font-size: 0.9375rem; }
        ul.scopes { padding-left: 1.25rem; margin: 0 0 1rem; }
        ul.scopes li { margin: 0.25rem 0; }
        code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9375em; }
        #authorization-code { display: block; padding: 0.75rem; border: 1px dashed var(--muted); border-radius: 0.375rem; user-select: all; word-break: break-all; }
        """;
}
