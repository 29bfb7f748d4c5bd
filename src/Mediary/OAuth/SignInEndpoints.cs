using System.Globalization;
using Mediary.Auth;
using Mediary.RateLimits;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace Mediary.OAuth;

/// <summary>
/// The sign-in page: a username or e-mail address and a password; failures are throttled per address
/// and per name with Mastodon's numbers (configurable), and the answer never says whether a name exists.
/// </summary>
public static class SignInEndpoints
{
    public const string SignInPath = "/auth/sign_in";
    public const string WrongCredentials = "Invalid username, e-mail address or password.";

    public static IEndpointRouteBuilder MapSignIn(this IEndpointRouteBuilder app)
    {
        app.MapGet(SignInPath, ShowAsync);
        app.MapPost(SignInPath, SignInAsync).DisableAntiforgery();
        app.MapPost("/auth/sign_out", SignOutAsync).DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> ShowAsync(HttpContext http, IAntiforgery antiforgery)
    {
        var current = await SignInSession.CurrentAsync(http);
        return Form(http, antiforgery, http.Request.Query["return_to"], login: "", error: null, current);
    }

    private static async Task<IResult> SignInAsync(HttpContext http, AccountStore accounts, FixedWindowCounter counter, IOptions<OAuthOptions> options,
        IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        if (!await antiforgery.IsRequestValidAsync(http)) return ForgedForm();
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var login = form["username"].ToString().Trim();
        var password = form["password"].ToString();
        var returnTo = form["return_to"].ToString();

        var limits = options.Value;
        var addressKey = $"sign_in_failures/address:{ClientAddress.Throttleable(http)}";
        var nameKey = $"sign_in_failures/name:{AccountStore.NormaliseEmail(login)}";
        foreach (var (key, limit, period) in new[] { (addressKey, limits.SignInFailuresPerAddress, limits.SignInAddressPeriodSeconds),
                     (nameKey, limits.SignInFailuresPerAccount, limits.SignInAccountPeriodSeconds) })
        {
            if (limit == 0) continue;
            var window = await counter.PeekAsync(key, period, cancellationToken);
            if (window.Count >= limit) return Throttled(window.Reset);
        }

        var check = login.Length == 0 || password.Length == 0 ? new SignInCheck(null) : await accounts.CheckPasswordAsync(login, password);
        if (check.Account is null)
        {
            if (limits.SignInFailuresPerAddress > 0) await counter.IncrementAsync(addressKey, limits.SignInAddressPeriodSeconds, cancellationToken);
            if (limits.SignInFailuresPerAccount > 0) await counter.IncrementAsync(nameKey, limits.SignInAccountPeriodSeconds, cancellationToken);
            return Form(http, antiforgery, returnTo, login, WrongCredentials, current: null, StatusCodes.Status401Unauthorized);
        }

        SignInSession.SignIn(http, check.Account);
        return Results.Redirect(SafeReturn(returnTo) ?? SignInPath);
    }

    private static async Task<IResult> SignOutAsync(HttpContext http, IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(http)) return ForgedForm();
        SignInSession.SignOut(http);
        return Results.Redirect(SignInPath);
    }

    /// <summary>
    /// The sign-in form. Its page has no <c>form-action</c>: a sign-in for an app that is already
    /// authorized is answered with redirects that end at the app's redirect URI, and Chrome applies
    /// <c>form-action</c> to every redirect that follows a form.
    /// </summary>
    private static IResult Form(HttpContext http, IAntiforgery antiforgery, string? returnTo, string login, string? error, Account? current,
        int status = StatusCodes.Status200OK)
    {
        var token = Pages.Encode(antiforgery.GetAndStoreTokens(http).RequestToken);
        var safeReturn = SafeReturn(returnTo);
        var signedIn = current is null ? "" : $"""
            <p class="muted">You are signed in as <strong>{Pages.Encode(current.Username)}</strong>.</p>
            <form method="post" action="/auth/sign_out">
            <input type="hidden" name="authenticity_token" value="{token}">
            <div class="actions"><button type="submit" class="secondary">Sign out</button></div>
            </form>
            <p class="muted">Or sign in with another account:</p>
            """;
        return Pages.Render("Sign in", $"""
            <h1>Sign in to Mediary</h1>
            {(error is null ? "" : $"""<p class="error" role="alert">{Pages.Encode(error)}</p>""")}
            {signedIn}
            <form method="post" action="{SignInPath}" id="sign-in">
            <input type="hidden" name="authenticity_token" value="{token}">
            {(safeReturn is null ? "" : $"""<input type="hidden" name="return_to" value="{Pages.Encode(safeReturn)}">""")}
            <label for="username">Username or e-mail address</label>
            <input type="text" id="username" name="username" value="{Pages.Encode(login)}" autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus>
            <label for="password">Password</label>
            <input type="password" id="password" name="password" autocomplete="current-password" required>
            <div class="actions"><button type="submit" class="primary">Sign in</button></div>
            </form>
            """, status, allowFormRedirects: true);
    }

    /// <summary>A page of this server to go back to; anything else (another host, "//host", "/\host") is dropped.</summary>
    private static string? SafeReturn(string? returnTo) =>
        returnTo is { Length: > 0 } path && path[0] == '/' && !path.StartsWith("//", StringComparison.Ordinal) &&
        !path.StartsWith("/\\", StringComparison.Ordinal) && !path.Any(char.IsControl)
            ? path
            : null;

    private static IResult Throttled(DateTimeOffset reset)
    {
        var result = Pages.Render("Too many attempts", $"""
            <h1>Too many failed sign-ins</h1>
            <p class="error" role="alert">Too many failed sign-ins. Try again after {reset.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture)} UTC.</p>
            """, StatusCodes.Status429TooManyRequests);
        var seconds = Math.Max(1, (long)Math.Ceiling((reset - DateTimeOffset.UtcNow).TotalSeconds));
        return new RetryAfter(result, seconds);
    }

    /// <summary>A form without this site's antiforgery token: another site may have made it.</summary>
    public static IResult ForgedForm() => Pages.Error(
        "This form has expired or did not come from this site. Go back, reload the page and try again.", StatusCodes.Status400BadRequest);

    private sealed class RetryAfter(IResult inner, long seconds) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(http);
        }
    }
}
