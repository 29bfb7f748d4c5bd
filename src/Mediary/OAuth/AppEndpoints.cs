using Mediary.Mastodon;
using Microsoft.Extensions.Options;

namespace Mediary.OAuth;

/// <summary>
/// Mastodon's app registration: <c>POST /api/v1/apps</c> (no token needed; throttled per address)
/// and <c>GET /api/v1/apps/verify_credentials</c> (the application of the token presented).
/// </summary>
public static class AppEndpoints
{
    public const int NameLimit = 60, RedirectUriLimit = 2000, WebsiteLimit = 2000;

    public static IEndpointRouteBuilder MapMastodonApps(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/apps").AddEndpointFilter<MastodonErrorFilter>();
        // Mastodon's throttle_oauth_application_registrations/ip.
        group.MapPost("", CreateAsync).ThrottlePerAddress("oauth_app", services =>
        {
            var limits = services.GetRequiredService<IOptions<OAuthOptions>>().Value;
            return (limits.AppRegistrationsPerAddress, limits.AppRegistrationPeriodSeconds);
        });
        group.MapGet("/verify_credentials", VerifyCredentialsAsync).RequireAnyToken();
        return app;
    }

    private static async Task<IResult> CreateAsync(HttpContext http, ApplicationStore applications, CancellationToken cancellationToken)
    {
        var parameters = await RequestParams.ReadAsync(http.Request, cancellationToken);
        var name = parameters["client_name"] ?? "";
        // redirect_uris: one string (URIs separated by line breaks) or a list, stored one per line.
        var redirectUri = parameters.IsList("redirect_uris") ? string.Join('\n', parameters.List("redirect_uris")!) : parameters["redirect_uris"] ?? "";
        // Mastodon permits scopes only as a string; sent as a list it is dropped and the default applies (mastodon#30152).
        var scopes = parameters.IsList("scopes") || string.IsNullOrWhiteSpace(parameters["scopes"]) ? OAuthScopes.Default : parameters["scopes"]!;
        var website = parameters["website"];

        var problems = Validate(name, redirectUri, OAuthScopes.Parse(scopes), website);
        if (problems.Count > 0)
            return MastodonErrors.Error(StatusCodes.Status422UnprocessableEntity, "Validation failed: " + string.Join(", ", problems));

        var registered = await applications.CreateAsync(name, redirectUri, OAuthScopes.Join(OAuthScopes.Parse(scopes)),
            string.IsNullOrEmpty(website) ? null : website, cancellationToken);
        return Results.Json(ApplicationJson.WithCredentials(registered), contentType: "application/json; charset=utf-8");
    }

    /// <summary>Doorkeeper's and Mastodon's validations of an application, in their order, as Rails' full messages.</summary>
    public static List<string> Validate(string name, string redirectUri, IReadOnlyList<string> scopes, string? website)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(name)) problems.Add("Application name can't be blank");
        if (string.IsNullOrWhiteSpace(redirectUri)) problems.Add("Redirect URI can't be blank");
        else
        {
            foreach (var uri in RedirectUris.Split(redirectUri))
            {
                foreach (var problem in RedirectUris.Problems(uri)) problems.Add("Redirect URI " + RedirectUriMessage(problem));
            }
        }
        if (!OAuthScopes.AllSupported(scopes)) problems.Add("Scopes doesn't match those configured on the server.");
        if (name.Length > NameLimit) problems.Add($"Application name is too long (maximum is {NameLimit} characters)");
        if (redirectUri.Length > RedirectUriLimit) problems.Add($"Redirect URI is too long (maximum is {RedirectUriLimit} characters)");
        if (!string.IsNullOrEmpty(website))
        {
            if (!IsWebUrl(website)) problems.Add("Application website is not a valid URL");
            if (website.Length > WebsiteLimit) problems.Add($"Application website is too long (maximum is {WebsiteLimit} characters)");
        }
        return problems;
    }

    private static string RedirectUriMessage(string problem) => problem switch
    {
        "forbidden_uri" => "is forbidden by the server.",
        "fragment_present" => "cannot contain a fragment.",
        "unspecified_scheme" => "must specify a scheme.",
        "relative_uri" => "must be an absolute URI.",
        _ => "must be a valid URI.",
    };

    private static bool IsWebUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https" && parsed.Host.Length > 0;

    private static async Task<IResult> VerifyCredentialsAsync(HttpContext http, ApplicationStore applications, CancellationToken cancellationToken)
    {
        // A token made on the command line belongs to no application.
        var token = MastodonAuthFilter.Token(http);
        var application = token.ApplicationId is { } id ? await applications.FindAsync(id, cancellationToken) : null;
        return application is null
            ? MastodonErrors.Error(StatusCodes.Status404NotFound, "Record not found")
            : Results.Json(ApplicationJson.Of(application), contentType: "application/json; charset=utf-8");
    }
}
