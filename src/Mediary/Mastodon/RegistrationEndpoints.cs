using System.Globalization;
using System.Text.RegularExpressions;
using Mediary.Auth;
using Mediary.OAuth;
using Mediary.RateLimits;
using Microsoft.Extensions.Options;

namespace Mediary.Mastodon;

/// <summary>
/// <c>POST /api/v1/accounts</c>: an app signs someone up with its own token (client_credentials) and
/// gets a user token back, as in Mastodon. The account can be used at once: there is no e-mail
/// confirmation. Closed unless <c>Registrations:Open</c>.
/// </summary>
public static partial class RegistrationEndpoints
{
    /// <summary>Mastodon's available locales (config/initializers/i18n.rb).</summary>
    private static readonly HashSet<string> Locales = new(StringComparer.Ordinal)
    {
        "af", "an", "ar", "ast", "be", "bg", "bn", "br", "bs", "ca", "ckb", "co", "cs", "cy", "da", "de", "el", "en", "en-GB", "eo", "es",
        "es-AR", "es-MX", "et", "eu", "fa", "fi", "fo", "fr", "fr-CA", "fy", "ga", "gd", "gl", "he", "hi", "hr", "hu", "hy", "ia", "id", "ie",
        "ig", "io", "is", "it", "ja", "ka", "kab", "kk", "kn", "ko", "ku", "kw", "la", "lt", "lv", "mk", "ml", "mr", "ms", "my", "nan-TW",
        "nl", "nn", "no", "oc", "pa", "pl", "pt-BR", "pt-PT", "ro", "ru", "sa", "sc", "sco", "si", "sk", "sl", "sq", "sr", "sr-Latn", "sv",
        "szl", "ta", "te", "th", "tr", "tt", "ug", "uk", "ur", "vi", "zgh", "zh-CN", "zh-HK", "zh-TW",
    };

    public static IEndpointRouteBuilder MapMastodonRegistrations(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/accounts", RegisterAsync)
            .AddEndpointFilter<MastodonErrorFilter>()
            .AddEndpointFilter(ThrottleAsync)
            .RequireAnyToken("write", "write:accounts")
            .DisableAntiforgery();
        return app;
    }

    /// <summary>Rack::Attack's throttle_api_sign_up: counted per address before the token is looked at.</summary>
    private static async ValueTask<object?> ThrottleAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var options = http.RequestServices.GetRequiredService<IOptions<RegistrationOptions>>().Value;
        if (options.SignUpsPerAddress > 0)
        {
            var counter = http.RequestServices.GetRequiredService<FixedWindowCounter>();
            var hit = await counter.IncrementAsync($"sign_up:{ClientAddress.Throttleable(http)}", options.SignUpPeriodSeconds, http.RequestAborted);
            if (hit.Count > options.SignUpsPerAddress)
            {
                http.Response.Headers["X-RateLimit-Limit"] = options.SignUpsPerAddress.ToString(CultureInfo.InvariantCulture);
                http.Response.Headers["X-RateLimit-Remaining"] = "0";
                http.Response.Headers["X-RateLimit-Reset"] = hit.Reset.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
                return MastodonErrors.Error(StatusCodes.Status429TooManyRequests, MastodonErrors.TooManyRequests);
            }
        }
        return await next(context);
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
        var username = parameters["username"] ?? "";
        var email = parameters["email"] ?? "";
        var password = parameters["password"] ?? "";
        var errors = await ValidateAsync(accounts, username, email, password, parameters["agreement"], parameters["locale"]);
        if (errors.Count > 0) return ValidationFailed(errors);

        Account account;
        try
        {
            account = await accounts.CreateAsync(username, email, password);
        }
        catch (ArgumentException)
        {
            // Taken between the check and the insert, by a sign-up running at the same moment.
            return ValidationFailed([new("username", "Username", "TAKEN", "has already been taken")]);
        }
        var issued = await tokens.IssueAsync(account.Id, application.Id, application.Scopes);
        return new OAuthJsonResult(StatusCodes.Status200OK, new Dictionary<string, object?>
        {
            ["access_token"] = issued.Token,
            ["token_type"] = "Bearer",
            ["scope"] = issued.Scopes,
            ["created_at"] = issued.CreatedAt.ToUnixTimeSeconds(),
        });
    }

    private sealed record FieldError(string Key, string Attribute, string Code, string Description);

    /// <summary>Mastodon's User and Account validations, with their attribute names and messages.</summary>
    private static async Task<List<FieldError>> ValidateAsync(AccountStore accounts, string username, string email, string password, string? agreement,
        string? locale)
    {
        var errors = new List<FieldError>();
        if (email.Trim().Length == 0) errors.Add(new("email", "E-mail address", "BLANK", "can't be blank"));
        else if (!EmailPattern().IsMatch(email.Trim())) errors.Add(new("email", "E-mail address", "INVALID", "is invalid"));
        else if (await accounts.EmailTakenAsync(email)) errors.Add(new("email", "E-mail address", "TAKEN", "has already been taken"));

        if (password.Length == 0) errors.Add(new("password", "Password", "BLANK", "can't be blank"));
        else if (password.Length < AccountStore.PasswordMinLength)
            errors.Add(new("password", "Password", "TOO_SHORT", $"is too short (minimum is {AccountStore.PasswordMinLength} characters)"));
        else if (password.Length > AccountStore.PasswordMaxLength)
            errors.Add(new("password", "Password", "TOO_LONG", $"is too long (maximum is {AccountStore.PasswordMaxLength} characters)"));

        if (!RequestParams.Truthy(agreement)) errors.Add(new("agreement", "Service agreement", "ACCEPTED", "must be accepted"));
        if (!string.IsNullOrEmpty(locale) && !Locales.Contains(locale)) errors.Add(new("locale", "Locale", "INCLUSION", "is not included in the list"));

        if (username.Length == 0) errors.Add(new("username", "Username", "BLANK", "can't be blank"));
        else
        {
            if (!username.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
                errors.Add(new("username", "Username", "INVALID", "must contain only letters, numbers and underscores"));
            if (username.Length > AccountStore.UsernameMaxLength)
                errors.Add(new("username", "Username", "TOO_LONG", $"is too long (maximum is {AccountStore.UsernameMaxLength} characters)"));
            if (AccountStore.IsValidUsername(username) && await accounts.UsernameTakenAsync(username))
                errors.Add(new("username", "Username", "TAKEN", "has already been taken"));
        }
        return errors;
    }

    /// <summary>ValidationErrorFormatter: Rails' "Validation failed: ..." and, per field, its errors with ERR_ codes.</summary>
    private static IResult ValidationFailed(IReadOnlyList<FieldError> errors) => Results.Json(new Dictionary<string, object?>
    {
        ["error"] = "Validation failed: " + string.Join(", ", errors.Select(e => $"{e.Attribute} {e.Description}")),
        ["details"] = errors.GroupBy(e => e.Key).ToDictionary(group => group.Key,
            group => group.Select(e => new Dictionary<string, string> { ["error"] = "ERR_" + e.Code, ["description"] = e.Description }).ToList()),
    }, statusCode: StatusCodes.Status422UnprocessableEntity, contentType: "application/json; charset=utf-8");

    /// <summary>Devise's e-mail check as Mastodon configures it: something, an @, a domain with a dot, no spaces.</summary>
    [GeneratedRegex(@"\A[^@\s]+@[^@\s]+\.[^@\s]+\z")]
    private static partial Regex EmailPattern();
}
