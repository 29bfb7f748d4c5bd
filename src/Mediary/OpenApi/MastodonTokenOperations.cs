using System.Text.Json.Nodes;
using Mediary.OAuth;
using Microsoft.OpenApi;
using static Mediary.OpenApi.MastodonExamples;
using static Mediary.OpenApi.Shapes;

namespace Mediary.OpenApi;

/// <summary>
/// <c>POST /oauth/token</c> and <c>POST /oauth/revoke</c> (<see cref="TokenEndpoints"/>): Doorkeeper's bodies and errors,
/// <c>{error, error_description}</c> with a WWW-Authenticate header, but a body that cannot be read is Mastodon's <c>{error}</c>.
/// </summary>
internal sealed partial class MastodonApiDocument
{
    private OpenApiOperation TokenOperation()
    {
        (string, IOpenApiSchema)[] fields =
        [
            ("grant_type", OneOf("authorization_code", "client_credentials")),
            ("code", Text("authorization_code: the code from the redirect, within 10 minutes, once.")),
            ("redirect_uri", Text("authorization_code: as in the authorization.")),
            ("code_verifier", Text("authorization_code: when the authorization had a code_challenge, and only then.")),
            ("client_id", Text("Unless sent as HTTP Basic.")),
            ("client_secret", Text("Unless sent as HTTP Basic.")),
            ("scope", Text("client_credentials: space-separated, within the app's; default read if the app has it.")),
        ];
        var example = new JsonObject
        {
            ["grant_type"] = "authorization_code",
            ["code"] = "Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf",
            ["redirect_uri"] = OutOfBand,
            ["client_id"] = ClientId,
            ["client_secret"] = ClientSecret,
        };
        return Operation("obtainToken", "OAuth", "Obtain a token",
            "authorization_code: a user's token for the code's scopes (a code used twice is invalid_grant and also revokes the token it " +
            "gave). client_credentials: the app's own token, with no user: it checks the app and signs people up, and user endpoints " +
            "answer it 422. The client authenticates with client_id and client_secret in the body or as HTTP Basic, not both. " +
            "Tokens do not expire. Answers carry Cache-Control: no-store, no-cache and Pragma: no-cache.",
            ClientAuthenticated(),
            Answers(
                [
                    Json(StatusCodes.Status200OK, "The token.", Ref("Token"), Token),
                    (StatusCodes.Status400BadRequest, OAuthFailure("The request is refused (Doorkeeper), or its body cannot be read ({error} alone).",
                        OAuthError.MissingParameter("grant_type"), OAuthError.MissingParameter("redirect_uri"), OAuthError.MissingParameter("code_verifier"),
                        OAuthError.InvalidRequest, OAuthError.InvalidGrant, OAuthError.UnsupportedGrantType, OAuthError.InvalidScope)),
                    (StatusCodes.Status401Unauthorized, OAuthFailure("The client did not authenticate: unknown client_id, wrong secret, or none.",
                        OAuthError.InvalidClient)),
                ],
                [TooLarge]),
            body: TokenBody(fields, ["grant_type"], example));
    }

    private OpenApiOperation Revoke()
    {
        (string, IOpenApiSchema)[] fields =
        [
            ("token", Text("The token to revoke.")),
            ("client_id", Text("Unless sent as HTTP Basic.")),
            ("client_secret", Text("Unless sent as HTTP Basic.")),
        ];
        var example = new JsonObject { ["token"] = AccessToken, ["client_id"] = ClientId, ["client_secret"] = ClientSecret };
        return Operation("revokeToken", "OAuth", "Revoke a token",
            "RFC 7009, with the app's credentials. The token answers 401 The access token was revoked from the next request on. " +
            "An unknown token is 200 too. A token made with `mediary tokens create` may be revoked by any authenticated app.",
            ClientAuthenticated(),
            Answers(
                [
                    EmptyObject("Revoked, or no such token: an empty object."),
                    (StatusCodes.Status403Forbidden, new OpenApiResponse
                    {
                        Description = "The client did not authenticate, or the token is another app's.",
                        Content = new Dictionary<string, OpenApiMediaType>
                        {
                            ["application/json"] = Content(Ref("OAuthError"), $$"""
                                {"error": "{{OAuthError.RevokeUnauthorized.Name}}", "error_description": "{{OAuthError.RevokeUnauthorized.Description}}"}
                                """),
                        },
                    }),
                ],
                [BadBody, TooLarge]),
            body: TokenBody(fields, ["token"], example));
    }

    /// <summary>The client's credentials in the body (no scheme) or as HTTP Basic.</summary>
    private List<OpenApiSecurityRequirement> ClientAuthenticated() => [new OpenApiSecurityRequirement(), .. Security(ClientBasic)];

    private static OpenApiRequestBody TokenBody((string, IOpenApiSchema)[] fields, string[] required, JsonObject example) => new()
    {
        Required = true,
        Description = "Form fields or JSON.",
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/x-www-form-urlencoded"] = new() { Schema = Object(fields, required), Example = example },
            ["application/json"] = new() { Schema = Object(fields, required), Example = example.DeepClone() },
        },
    };

    /// <summary>Doorkeeper's errors of one status, each a named example, with its WWW-Authenticate header.</summary>
    private OpenApiResponse OAuthFailure(string description, params OAuthError[] errors)
    {
        var examples = new Dictionary<string, IOpenApiExample>();
        foreach (var error in errors)
        {
            examples[UniqueName(examples, error.Name + " " + error.Description)] = new OpenApiExample
            {
                Summary = $"{error.Name}: {error.Description}",
                Value = new JsonObject { ["error"] = error.Name, ["error_description"] = error.Description },
            };
        }
        // A body that cannot be read is refused before Doorkeeper's checks, in Mastodon's format.
        var unreadable = errors.Any(error => error.Status == StatusCodes.Status400BadRequest);
        if (unreadable)
        {
            examples["bad-request"] = new OpenApiExample { Summary = "A body that cannot be read", Value = new JsonObject { ["error"] = "Bad Request" } };
        }
        var schema = unreadable ? new OpenApiSchema { AnyOf = [Ref("OAuthError"), Ref("Error")] } : Ref("OAuthError");
        return new OpenApiResponse
        {
            Description = description,
            Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["WWW-Authenticate"] = ResponseHeader(Text(), "Bearer realm=\"Doorkeeper\", error=\"...\", error_description=\"...\"."),
                ["Cache-Control"] = ResponseHeader(Text(), "no-store, no-cache"),
            },
            Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema, Examples = examples } },
        };
    }
}
