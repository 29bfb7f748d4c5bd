using System.Text.Json.Nodes;
using Mediary.OAuth;
using Microsoft.OpenApi;
using static Mediary.OpenApi.MastodonExamples;
using static Mediary.OpenApi.Shapes;

namespace Mediary.OpenApi;

/// <summary>App registration (<see cref="AppEndpoints"/>), the authorization page's entry and the token endpoints (<see cref="TokenEndpoints"/>).</summary>
internal sealed partial class MastodonApiDocument
{
    private const string OutOfBand = "urn:ietf:wg:oauth:2.0:oob";

    private static void AddOAuthSchemas(IDictionary<string, IOpenApiSchema> schemas)
    {
        (string, IOpenApiSchema)[] application =
        [
            ("id", Text()),
            ("name", Text()),
            ("website", Text(format: "uri").OrNull()),
            ("scopes", ArrayOf(Text(), "The scopes the app may ask for.")),
            ("redirect_uris", ArrayOf(Text(), "The registered redirect URIs.")),
            ("redirect_uri", Text("Deprecated since Mastodon 4.3, still sent: the URIs one per line.")),
        ];
        schemas["Application"] = Object(application);
        schemas["CredentialApplication"] = Object(
        [
            .. application,
            ("client_id", Text()),
            ("client_secret", Text("Shown only here; stored hashed.")),
            ("client_secret_expires_at", Integer("Always 0: secrets do not expire.")),
        ]);
        schemas["Token"] = Object(
            ("access_token", Text()),
            ("token_type", OneOf("Bearer")),
            ("scope", Text("The granted scopes, space-separated.")),
            ("created_at", Integer("Unix seconds.")));
        schemas["OAuthError"] = Object(
            ("error", OneOf("invalid_request", "invalid_client", "invalid_grant", "unsupported_grant_type", "invalid_scope", "unauthorized_client")),
            ("error_description", Text("Doorkeeper's sentence.")));
        schemas["ServerMetadata"] = Object(
            ("issuer", Text(format: "uri")),
            ("authorization_endpoint", Text(format: "uri")),
            ("token_endpoint", Text(format: "uri")),
            ("revocation_endpoint", Text(format: "uri")),
            ("scopes_supported", ArrayOf(Text())),
            ("response_types_supported", ArrayOf(OneOf("code"))),
            ("response_modes_supported", ArrayOf(OneOf("query", "fragment"))),
            ("grant_types_supported", ArrayOf(OneOf("authorization_code", "client_credentials"))),
            ("token_endpoint_auth_methods_supported", ArrayOf(OneOf("client_secret_basic", "client_secret_post"))),
            ("code_challenge_methods_supported", ArrayOf(OneOf("S256"))),
            ("service_documentation", Text(format: "uri")),
            ("app_registration_endpoint", Text(format: "uri")));
    }

    private Dictionary<string, Func<OpenApiOperation>> OAuthOperations() => new()
    {
        ["POST /api/v1/apps"] = RegisterApp,

        ["GET /api/v1/apps/verify_credentials"] = () => Operation("verifyAppCredentials", "Apps", "The token's app",
            "Any valid token of an app, a user's or the app's own, any scope: the app without its credentials. A token made with " +
            "`mediary tokens create` belongs to no app: 404.",
            Security(OAuth),
            Answers([Json(StatusCodes.Status200OK, "The app.", Ref("Application"), Application)],
                [Fail(401, Mastodon.MastodonErrors.InvalidToken), Fail(401, Mastodon.MastodonErrors.RevokedToken), NotFound])),

        ["GET /oauth/authorize"] = Authorize,
        ["POST /oauth/token"] = TokenOperation,
        ["POST /oauth/revoke"] = Revoke,

        ["GET /.well-known/oauth-authorization-server"] = () => Operation("getServerMetadata", "OAuth", "Authorization server metadata",
            "RFC 8414, as Mastodon 4.3+ serves it, with this server's addresses.",
            Anyone(),
            Answers([Json(StatusCodes.Status200OK, "The metadata.", Ref("ServerMetadata"), $$"""
                {"issuer": "{{Site}}/", "authorization_endpoint": "{{Site}}/oauth/authorize", "token_endpoint": "{{Site}}/oauth/token",
                 "revocation_endpoint": "{{Site}}/oauth/revoke", "scopes_supported": {{new JsonArray([.. OAuthScopes.Supported.Select(s => JsonValue.Create(s))]).ToJsonString()}},
                 "response_types_supported": ["code"], "response_modes_supported": ["query", "fragment"],
                 "grant_types_supported": ["authorization_code", "client_credentials"],
                 "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
                 "code_challenge_methods_supported": ["S256"], "service_documentation": "https://docs.joinmastodon.org/",
                 "app_registration_endpoint": "{{Site}}/api/v1/apps"}
                """), MalformedRequest],
                [], usesDatabase: false)),
    };

    private OpenApiOperation RegisterApp()
    {
        (string, IOpenApiSchema)[] fields =
        [
            ("client_name", Text("At most 60 characters.")),
            ("redirect_uris", new OpenApiSchema
            {
                OneOf = [Text("Absolute URIs without fragments, one per line; urn:ietf:wg:oauth:2.0:oob shows the code on a page."), ArrayOf(Text())],
                Description = "At most 2000 characters in all.",
            }),
            ("scopes", Text("Space-separated; default read. Sent as a list, it is dropped and the default applies, as in Mastodon.")),
            ("website", Text(format: "uri")),
        ];
        var example = new JsonObject { ["client_name"] = "MyApp", ["redirect_uris"] = OutOfBand, ["scopes"] = "read write:media write:accounts", ["website"] = "https://app.example" };
        return Operation("registerApp", "Apps", "Register an app",
            "No token needed. Answers the app with its client_id and client_secret (kept hashed: shown only here). Doorkeeper's and " +
            "Mastodon's checks, as 422. 5 registrations per address per 10 minutes.",
            Anyone(),
            Answers([Json(StatusCodes.Status200OK, "The app with its credentials.", Ref("CredentialApplication"), CredentialApplication)],
            [
                BadBody,
                TooLarge,
                Fail(422, "Validation failed: Application name can't be blank, Redirect URI can't be blank"),
                Fail(422, "Validation failed: Redirect URI must be an absolute URI."),
                Fail(422, "Validation failed: Redirect URI cannot contain a fragment."),
                Fail(422, "Validation failed: Redirect URI is forbidden by the server."),
                Fail(422, "Validation failed: Scopes doesn't match those configured on the server."),
                Fail(422, "Validation failed: Application name is too long (maximum is 60 characters)"),
                Fail(422, "Validation failed: Application website is not a valid URL"),
                TooManyRequests,
            ]),
            body: new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/x-www-form-urlencoded"] = new() { Schema = Object(fields, ["client_name", "redirect_uris"]), Example = example },
                    ["application/json"] = new() { Schema = Object(fields, ["client_name", "redirect_uris"]), Example = example.DeepClone() },
                    ["multipart/form-data"] = new() { Schema = Object(fields, ["client_name", "redirect_uris"]) },
                },
            });
    }

    private OpenApiOperation Authorize()
    {
        OpenApiParameter Parameter(string name, IOpenApiSchema schema, string description, string? example = null, bool required = false) =>
            Query(name, schema, description, example is null ? null : JsonValue.Create(example), required);
        var html = new OpenApiSchema { Type = JsonSchemaType.String, Description = "An HTML page." };
        OpenApiResponse Page(string description, string example) => new()
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType> { ["text/html"] = new() { Schema = html, Example = JsonValue.Create(example) } },
        };
        const string ErrorPage = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>An error has occurred · Mediary</title>\n" +
            "</head>\n<body>\n<main class=\"card\">\n<h1>An error has occurred</h1>\n<p class=\"error-description\">{0}</p>\n</main>\n</body>\n</html>\n";
        return Operation("authorize", "OAuth", "Authorize an app (browser)",
            "Where an app sends the person's browser, not an API call. Not signed in (or with force_login): a redirect to the sign-in " +
            "page, then back here. Then the consent page naming the app and the scopes (admin scopes only for admin accounts); an app " +
            "already authorized for these scopes is answered at once. Authorize redirects to redirect_uri with code and state (the " +
            "out-of-band URI shows the code on /oauth/authorize/native), Deny with error=access_denied. Codes live 10 minutes and are " +
            "single-use. A request Doorkeeper would refuse gets an error page, never a redirect.",
            Anyone(),
            Answers(
                [
                    (StatusCodes.Status200OK, Page("The consent page (or the sign-in page's redirect target).",
                        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Authorization required · Mediary</title>\n</head>\n" +
                        "<body>\n<main class=\"card\">\n<h1>Authorization required</h1>\n<p><strong class=\"app-name\">MyApp</strong> would like " +
                        "permission to access your account, <strong>alice</strong>. ...</p>\n</main>\n</body>\n</html>\n")),
                    (StatusCodes.Status302Found, Empty("To the sign-in page; or, already authorized, to redirect_uri with code and state.",
                        new Dictionary<string, IOpenApiHeader>
                        {
                            ["Location"] = ResponseHeader(Text(format: "uri-reference"),
                                "/auth/sign_in?return_to=..., or e.g. https://app.example/callback?code=...&state=..."),
                        })),
                    (StatusCodes.Status400BadRequest, Page("Doorkeeper would refuse the request: its description on an error page.",
                        string.Format(System.Globalization.CultureInfo.InvariantCulture, ErrorPage, OAuthError.InvalidRedirectUri.Description))),
                    (StatusCodes.Status401Unauthorized, Page("Unknown client_id.",
                        string.Format(System.Globalization.CultureInfo.InvariantCulture, ErrorPage, OAuthError.InvalidClient.Description))),
                ],
                []),
            [
                Parameter("response_type", OneOf("code"), "Only code.", "code", required: true),
                Parameter("client_id", Text(), "The app's client_id.", ClientId, required: true),
                Parameter("redirect_uri", Text(), "One the app registered (a loopback address may use any port).", OutOfBand, required: true),
                Parameter("scope", Text(), "Space-separated, within the app's; default read.", "read write:media"),
                Parameter("state", Text(), "Given back with the code.", "af0ifjsldkj"),
                Parameter("code_challenge", Text(), "PKCE: BASE64URL(SHA256(code_verifier)).", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"),
                Parameter("code_challenge_method", OneOf("S256"), "PKCE: only S256 (plain is refused).", "S256"),
                Parameter("response_mode", OneOf("query", "fragment"), "Where the code goes in the redirect; default query.", "query"),
                Parameter("force_login", Boolean(), "Show the sign-in page again, to pick another account.", null),
                Parameter("lang", Text(), "Accepted; the pages are in English.", "en"),
            ]);
    }
}
