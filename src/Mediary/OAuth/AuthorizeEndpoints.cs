using Mediary.Auth;
using Microsoft.AspNetCore.Antiforgery;

namespace Mediary.OAuth;

/// <summary>
/// <c>/oauth/authorize</c>: who is signed in is asked on the sign-in page, then a consent page names
/// the application and the scopes; approving sends the browser back to the application's registered
/// redirect URI with a code (or shows the code, for the out-of-band URI), denying with access_denied.
/// </summary>
public static class AuthorizeEndpoints
{
    public const string NativePath = "/oauth/authorize/native";

    public static IEndpointRouteBuilder MapOAuthAuthorize(this IEndpointRouteBuilder app)
    {
        app.MapGet("/oauth/authorize", ShowAsync);
        app.MapPost("/oauth/authorize", DecideAsync).DisableAntiforgery();
        app.MapGet(NativePath, (HttpRequest request) => Pages.Render("Authorization code", $"""
            <h1>Copy this authorization code and paste it to the application.</h1>
            <code id="authorization-code">{Pages.Encode(request.Query["code"].ToString())}</code>
            """));
        return app;
    }

    private static async Task<IResult> ShowAsync(HttpContext http, ApplicationStore applications, TokenStore tokens, IAntiforgery antiforgery,
        CancellationToken cancellationToken)
    {
        var query = http.Request.Query;
        var outcome = await AuthorizationRequest.ReadAsync(key => query[key].FirstOrDefault(), applications, cancellationToken);
        if (outcome.Error is { } error) return Pages.Error(error.Description, error.Status);
        var request = outcome.Request!;

        var account = await SignInSession.CurrentAsync(http);
        // force_login: the user picks the account again (to authorize another one of theirs), then comes back here.
        if (account is null || Mastodon.RequestParams.Truthy(query["force_login"]))
        {
            var back = "/oauth/authorize" + QueryString.Create(query.Where(pair => pair.Key != "force_login"));
            return Results.Redirect(SignInEndpoints.SignInPath + QueryString.Create("return_to", back));
        }

        var scopes = OAuthScopes.GrantableTo(account.Admin, request.Scopes);
        if (scopes.Count == 0) return Pages.Error(OAuthError.InvalidScope.Description, StatusCodes.Status400BadRequest);
        // Already authorized for these scopes: Doorkeeper answers at once instead of asking again.
        if (await AlreadyAuthorizedAsync(tokens, account, request, scopes)) return await ApproveAsync(http, request, account, scopes);

        var fields = string.Concat(AuthorizationRequest.Fields.Select(name => query[name].FirstOrDefault() is { Length: > 0 } value
            ? $"""<input type="hidden" name="{name}" value="{Pages.Encode(value)}">""" + "\n" : ""));
        var withheld = request.Scopes.Count > scopes.Count
            ? """<p class="muted">Admin permissions that were asked for are not granted: this account is not an admin.</p>"""
            : "";
        var items = string.Concat(scopes.Select(scope => $"<li><code>{Pages.Encode(scope)}</code> {Pages.Encode(ScopeMeaning(scope))}</li>"));
        var website = string.IsNullOrEmpty(request.Application.Website) ? "" : $"""<p class="muted">{Pages.Encode(request.Application.Website)}</p>""";
        return Pages.Render("Authorization required", $"""
            <h1>Authorization required</h1>
            <p><strong class="app-name">{Pages.Encode(request.Application.Name)}</strong> would like permission to access your account,
            <strong>{Pages.Encode(account.Username)}</strong>. Only approve this request if you recognize and trust this source.</p>
            {website}
            <p>It asks to:</p>
            <ul class="scopes">{items}</ul>
            {withheld}
            <form method="post" action="/oauth/authorize">
            <input type="hidden" name="authenticity_token" value="{Pages.Encode(antiforgery.GetAndStoreTokens(http).RequestToken)}">
            {fields}
            <div class="actions">
            <button type="submit" class="primary" name="decision" value="approve">Authorize</button>
            <button type="submit" class="secondary" name="decision" value="deny">Deny</button>
            </div>
            </form>
            <p class="muted">Not {Pages.Encode(account.Username)}? <a href="{Pages.Encode(SignInEndpoints.SignInPath + QueryString.Create("return_to", "/oauth/authorize" + http.Request.QueryString))}">Sign in as someone else</a>.</p>
            """, allowFormRedirects: true);
    }

    private static async Task<IResult> DecideAsync(HttpContext http, ApplicationStore applications, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        if (!await antiforgery.IsRequestValidAsync(http)) return SignInEndpoints.ForgedForm();
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var outcome = await AuthorizationRequest.ReadAsync(key => form[key].FirstOrDefault(), applications, cancellationToken);
        if (outcome.Error is { } error) return Pages.Error(error.Description, error.Status);
        var request = outcome.Request!;
        var account = await SignInSession.CurrentAsync(http);
        if (account is null)
        {
            var back = "/oauth/authorize" + QueryString.Create(AuthorizationRequest.Fields.Select(name => KeyValuePair.Create(name, form[name])).Where(p => p.Value.Count > 0));
            return Results.Redirect(SignInEndpoints.SignInPath + QueryString.Create("return_to", back));
        }
        var scopes = OAuthScopes.GrantableTo(account.Admin, request.Scopes);
        if (scopes.Count == 0) return Pages.Error(OAuthError.InvalidScope.Description, StatusCodes.Status400BadRequest);

        if (form["decision"] == "approve") return await ApproveAsync(http, request, account, scopes);
        var denied = OAuthError.AccessDenied;
        if (RedirectUris.IsOutOfBand(request.RedirectUri)) return Pages.Error(denied.Description, StatusCodes.Status400BadRequest);
        return Results.Redirect(request.RedirectWith([("error", denied.Name), ("error_description", denied.Description), ("state", request.State)]));
    }

    private static async Task<IResult> ApproveAsync(HttpContext http, AuthorizationRequest request, Account account, IReadOnlyList<string> scopes)
    {
        var grants = http.RequestServices.GetRequiredService<GrantStore>();
        var code = await grants.CreateAsync(request.Application.Id, account.Id, request.RedirectUri, OAuthScopes.Join(scopes),
            request.CodeChallenge, request.CodeChallengeMethod, http.RequestAborted);
        if (RedirectUris.IsOutOfBand(request.RedirectUri)) return Results.Redirect(NativePath + QueryString.Create("code", code));
        return Results.Redirect(request.RedirectWith([("code", code), ("state", request.State)]));
    }

    private static async Task<bool> AlreadyAuthorizedAsync(TokenStore tokens, Account account, AuthorizationRequest request, IReadOnlyList<string> scopes) =>
        (await tokens.ListAsync(account.Id)).Any(token => token.ApplicationId == request.Application.Id && token.RevokedAt is null &&
            scopes.All(OAuthScopes.Parse(token.Scopes).Contains));

    /// <summary>What a scope lets the application do, in a few words for the consent page.</summary>
    private static string ScopeMeaning(string scope) => scope switch
    {
        "read" => "read all your account's data",
        "write" => "change all your account's data, upload media and post",
        "profile" => "read your profile (name and picture) only",
        "follow" => "change who you follow, block and mute",
        "push" => "receive push notifications",
        "write:media" => "upload media files",
        "write:statuses" => "publish posts",
        "read:statuses" => "read posts",
        "read:accounts" => "read account information",
        "write:accounts" => "change your profile",
        _ when scope.StartsWith("admin:read", StringComparison.Ordinal) => "read data on the whole server (admin)",
        _ when scope.StartsWith("admin:write", StringComparison.Ordinal) => "change data on the whole server (admin)",
        _ when scope.StartsWith("read:", StringComparison.Ordinal) => $"read your {scope[5..]}",
        _ when scope.StartsWith("write:", StringComparison.Ordinal) => $"change your {scope[6..]}",
        _ => "",
    };
}
