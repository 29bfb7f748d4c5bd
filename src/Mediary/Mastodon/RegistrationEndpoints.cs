using Mediary.Auth;
using Mediary.OAuth;
using Microsoft.Extensions.Options;

namespace Mediary.Mastodon;

/// <summary>
/// <c>POST /api/v1/accounts</c>: an app signs someone up with its own token (client_credentials) and
/// gets a user token back, as in Mastodon. The account can be used at once: there is no e-mail
/// confirmation. Closed unless <c>Registrations:Open</c>.
/// </summary>
public static class RegistrationEndpoints
{
    public static IEndpointRouteBuilder MapMastodonRegistrations(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/accounts", RegisterAsync)
            .AddEndpointFilter<MastodonErrorFilter>()
            // Rack::Attack's throttle_api_sign_up: counted per address before the token is looked at.
            .ThrottlePerAddress("sign_up", services =>
            {
                var options = services.GetRequiredService<IOptions<RegistrationOptions>>().Value;
                return (options.SignUpsPerAddress, options.SignUpPeriodSeconds);
            })
            .RequireAnyToken("write", "write:accounts")
            .DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> RegisterAsync(HttpContext http, AccountStore accounts, TokenStore tokens, ApplicationStore applications,
        IOptions<RegistrationOptions> options, CancellationToken cancellationToken)
    {
        var token = MastodonAuthFilter.Token(http);
        if (token.AccountId is not null)
            return MastodonErrors.Error(StatusCodes.Status403Forbidden, "This method requires an client credentials authentication");
        if (!options.Value.Open) return MastodonErrors.Error(StatusCodes.Status403Forbidden, "Forbidden");
        var application = token.ApplicationId is { } id ? await applications.FindAsync(id, cancellationToken) : null;
        if (application is null) return MastodonErrors.Error(StatusCodes.Status403Forbidden, "Forbidden");

        var parameters = await RequestParams.ReadAsync(http.Request, cancellationToken);
        // reason, time_zone, invite_code and date_of_birth are permitted too; nothing here uses them.
        var input = new SignUpInput(parameters["username"], parameters["email"], parameters["password"], parameters["agreement"]);
        var errors = await SignUpValidation.ValidateAsync(input, accounts);
        if (errors.Count > 0) return SignUpValidation.Result(errors);

        Account account;
        try
        {
            account = await accounts.CreateAsync(input.Username, input.Email, input.Password);
        }
        catch (ArgumentException)
        {
            // The name or address was taken between the check and the insert, by a sign-up at the same moment.
            errors = await SignUpValidation.ValidateAsync(input, accounts);
            if (errors.Count > 0) return SignUpValidation.Result(errors);
            throw;
        }
        var issued = await tokens.IssueAsync(account.Id, application.Id, application.Scopes);
        // Doorkeeper's TokenResponse; its Cache-Control merged by Rails with the API's (private, no_store) is "private, no-store".
        http.Response.Headers.CacheControl = "private, no-store";
        http.Response.Headers.Pragma = "no-cache";
        return Results.Json(TokenEndpoints.TokenBody(issued), contentType: "application/json; charset=utf-8");
    }
}
