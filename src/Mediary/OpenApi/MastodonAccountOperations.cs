using System.Text.Json.Nodes;
using Mediary.Mastodon;
using Microsoft.OpenApi;
using static Mediary.OpenApi.MastodonExamples;
using static Mediary.OpenApi.Shapes;

namespace Mediary.OpenApi;

/// <summary>The account endpoints (<see cref="StatusEndpoints"/>) and sign-up by an app (<see cref="RegistrationEndpoints"/>).</summary>
internal sealed partial class MastodonApiDocument
{
    private static void AddAccountSchemas(IDictionary<string, IOpenApiSchema> schemas, Func<string, IOpenApiSchema> reference)
    {
        schemas["ValidationError"] = Object(
            ("error", Text("Rails' \"Validation failed: \" and every message, in Mastodon 4.4's order.")),
            ("details", Map(ArrayOf(reference("ValidationDetail"))).Described("Per field (email, password, username, agreement), its errors.")));
        schemas["ValidationDetail"] = Object(
            ("error", OneOf("ERR_BLANK", "ERR_INVALID", "ERR_TAKEN", "ERR_TOO_SHORT", "ERR_TOO_LONG", "ERR_RESERVED", "ERR_ACCEPTED")),
            ("description", Text("Rails' message, e.g. has already been taken.")));
    }

    private Dictionary<string, Func<OpenApiOperation>> AccountOperations() => new()
    {
        ["GET /api/v1/accounts/verify_credentials"] = () => Operation("verifyCredentials", "Accounts", "The signed-in account",
            "The token's account, with source.",
            Scopes("read", "read:statuses", "read:accounts", "write", "profile"),
            Answers([Json(StatusCodes.Status200OK, "The account.", Ref("CredentialAccount"), CredentialAccount)], TokenFailures())),

        ["GET /api/v1/accounts/{id}"] = () => Operation("getAccount", "Accounts", "Get an account",
            "Any account of this server, by id. Unlike Mastodon, a user's token is needed.",
            Scopes("read", "read:statuses", "read:accounts", "write", "profile"),
            Answers([Json(StatusCodes.Status200OK, "The account.", Ref("Account"), Account)], [.. TokenFailures(), NotFound]),
            [Id("The account's id.", AccountId)]),

        ["POST /api/v1/accounts"] = Register,
    };

    private OpenApiOperation Register()
    {
        var refused = new OpenApiResponse
        {
            Description = "Invalid fields: the messages, and per field its codes.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = Content(Ref("ValidationError"), """
                    {"error": "Validation failed: E-mail address has already been taken, Password is too short (minimum is 8 characters), Username is reserved, Service agreement must be accepted",
                     "details": {"email": [{"error": "ERR_TAKEN", "description": "has already been taken"}],
                                 "password": [{"error": "ERR_TOO_SHORT", "description": "is too short (minimum is 8 characters)"}],
                                 "username": [{"error": "ERR_RESERVED", "description": "is reserved"}],
                                 "agreement": [{"error": "ERR_ACCEPTED", "description": "must be accepted"}]}}
                    """),
            },
        };
        var noStore = new Dictionary<string, IOpenApiHeader>
        {
            ["Cache-Control"] = ResponseHeader(Text(), "private, no-store"),
            ["Pragma"] = ResponseHeader(Text(), "no-cache"),
        };
        (string, IOpenApiSchema)[] fields =
        [
            ("username", Text("Letters, digits and underscores, at most 30; unique in any case; not a reserved name (admin, root, support, ...).")),
            ("email", Text("Unique in any case.", "email")),
            ("password", Text("8 to 72 characters.", "password")),
            ("agreement", new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Boolean, Description = "true or 1 (in JSON also true): the server's rules are accepted." }),
            ("locale", Text("A language Mastodon knows; another is dropped.")),
            ("reason", Text("Taken and unused.")),
            ("time_zone", Text("Taken and unused.")),
            ("date_of_birth", Text("Taken and unused.")),
            ("invite_code", Text("Taken and unused.")),
        ];
        var example = new JsonObject
        {
            ["username"] = "bob",
            ["email"] = "bob@example.com",
            ["password"] = "correct-horse-battery",
            ["agreement"] = "true",
            ["locale"] = "en",
        };
        return Operation("registerAccount", "Accounts", "Sign someone up",
            "An app signs a person up with its own token (client_credentials, scope write or write:accounts) and gets a user token " +
            "for the new account with the app's scopes. Closed unless Registrations:Open. Unlike Mastodon, the account is usable at " +
            "once: no e-mail confirmation, no approval. 5 sign-ups per address (an IPv6 /64) per 30 minutes, counted before the token " +
            "is checked.",
            Scopes("write", "write:accounts"),
            Answers(
                [
                    Json(StatusCodes.Status200OK, "The new account's token.", Ref("Token"),
                        Token.Replace("read write:media", "read write:media write:accounts", StringComparison.Ordinal), noStore),
                    (StatusCodes.Status422UnprocessableEntity, refused),
                ],
                [
                    .. TokenFailures(requireUser: false),
                    Fail(403, "This method requires an client credentials authentication"),
                    Fail(403, "Forbidden"),
                    BadBody,
                    TooLarge,
                    TooManyRequests,
                ]),
            body: new OpenApiRequestBody
            {
                Required = true,
                Description = "Form fields or JSON; the query string is read too.",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/x-www-form-urlencoded"] = new() { Schema = Object(fields, ["username", "email", "password", "agreement"]), Example = example },
                    ["application/json"] = new() { Schema = Object(fields, ["username", "email", "password", "agreement"]), Example = example.DeepClone() },
                },
            });
    }
}
