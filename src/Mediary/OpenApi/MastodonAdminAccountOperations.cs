using System.Text.Json.Nodes;
using Mediary.Mastodon;
using Microsoft.OpenApi;
using static Mediary.OpenApi.MastodonExamples;
using static Mediary.OpenApi.Shapes;

namespace Mediary.OpenApi;

/// <summary>The admin API's accounts and tokens (<see cref="AdminAccountEndpoints"/>, <see cref="AdminTokenEndpoints"/>).</summary>
internal sealed partial class MastodonApiDocument
{
    private const string AdminTokenId = "117726600991235075";

    private const string AdminAccountExample = $$"""
        {"id": "{{AccountId}}", "username": "alice", "email": "alice@example.com", "admin": false, "created_at": "2026-04-10T11:58:02.517Z",
         "usage": {"used_bytes": 61474, "reserved_bytes": 0, "limit_bytes": 104857600, "remaining_bytes": 104795914, "media_count": 4} }
        """;

    private const string AdminTokenExample = $$"""
        {"id": "{{AdminTokenId}}", "account_id": "{{AccountId}}", "username": "alice", "application": "Elk", "scopes": ["read", "write"],
         "created_at": "2026-04-10T12:01:44.201Z", "last_used_at": "2026-04-10T12:30:05.912Z"}
        """;

    private static void AddAdminAccountSchemas(IDictionary<string, IOpenApiSchema> schemas)
    {
        schemas["AdminAccount"] = Object(
            ("id", Text()),
            ("username", Text()),
            ("email", Text("Null for an account made without one (`mediary accounts create NAME`).").OrNull()),
            ("admin", Boolean()),
            ("created_at", Text(format: "date-time")),
            ("usage", Object(
                ("used_bytes", Integer("Stored media, at their processed sizes.")),
                ("reserved_bytes", Integer("Declared on the direct face and not yet completed.")),
                ("limit_bytes", Integer("Quotas:StorageBytes; null without a quota.").OrNull()),
                ("remaining_bytes", Integer().OrNull()),
                ("media_count", Integer()))));
        schemas["AdminToken"] = Object(
            [
                ("id", Text("The token's id (for DELETE); not the token.")),
                ("account_id", Text("Null for an application's own token (client_credentials).").OrNull()),
                ("username", Text().OrNull()),
                ("application", Text("The OAuth application that obtained it; null for one made on the command line or here.").OrNull()),
                ("scopes", ArrayOf(Text())),
                ("created_at", Text(format: "date-time")),
                ("last_used_at", Text("When a request last came with it, to within OAuth:TokenLastUsedIntervalSeconds (a minute by " +
                    "default: a token is not written on every use); null when not used since it was made, or since this was recorded.",
                    format: "date-time").OrNull()),
                ("access_token", Text("The token itself: only in the answer that creates it (only a hash is stored).")),
            ],
            ["id", "account_id", "username", "application", "scopes", "created_at", "last_used_at"]);
    }

    private Dictionary<string, Func<OpenApiOperation>> AdminAccountOperations()
    {
        const string read = "admin:read (or admin:read:accounts)", write = "admin:write (or admin:write:accounts)";
        return new()
        {
            ["GET /api/v1/mediary/admin/accounts"] = () => Operation("listAdminAccounts", "Admin", "List accounts",
                "Every account with its e-mail address, admin flag and storage (as it counts against Quotas:StorageBytes), newest " +
                "first, paged as Mastodon pages: when a page is full, a Link header gives the next one (rel=\"next\", with max_id)." + AdminWho(read),
                Scopes("admin:read", "admin:read:accounts"),
                Answers([Json(StatusCodes.Status200OK, "A page of accounts.", ArrayOf(Ref("AdminAccount")), $"[{AdminAccountExample}]", NextLink("/accounts?"))],
                    AdminRefusals),
                PageParameters("Accounts")),

            ["GET /api/v1/mediary/admin/tokens"] = () => Operation("listAdminTokens", "Admin", "List tokens",
                "Tokens not revoked (Mastodon face tokens, and the direct face's API keys: scope direct), newest first, paged as " +
                "Mastodon pages, without the tokens themselves, with when each was last used (to within a minute by default)." + AdminWho(read),
                Scopes("admin:read", "admin:read:accounts"),
                Answers([Json(StatusCodes.Status200OK, "A page of tokens.", ArrayOf(Ref("AdminToken")), $"[{AdminTokenExample}]", NextLink("/tokens?"))],
                    AdminRefusals),
                [
                    Query("account_id", Text(), "Only this account's tokens.", JsonValue.Create(AccountId)),
                    .. PageParameters("Tokens"),
                ]),

            ["POST /api/v1/mediary/admin/tokens"] = CreateAdminToken,

            ["DELETE /api/v1/mediary/admin/tokens/{id}"] = () => Operation("revokeAdminToken", "Admin", "Revoke a token",
                "Revokes the token at once: the next request with it answers 401 The access token was revoked. Revoking a revoked " +
                "token answers the same." + AdminWho(write),
                Scopes("admin:write", "admin:write:accounts"),
                Answers([EmptyObject("Revoked: an empty object.")], [.. AdminRefusals, NotFound]),
                [Id("The token's id (as listed).", AdminTokenId)]),
        };
    }

    private OpenApiOperation CreateAdminToken()
    {
        var scopes = Text("Space-separated; Mastodon's scopes (admin ones only for an admin account), or direct alone for a direct API key. " +
            "Default read.");
        var fields = new (string, IOpenApiSchema)[]
        {
            ("account_id", Text("The account the token acts for.")),
            ("username", Text("Instead of account_id.")),
            ("scopes", scopes),
        };
        return Operation("createAdminToken", "Admin", "Create a token",
            "A token for an account, as `mediary tokens create` makes one; the answer carries it once in access_token." +
            AdminWho("admin:write (or admin:write:accounts)"),
            Scopes("admin:write", "admin:write:accounts"),
            Answers([Json(StatusCodes.Status200OK, "The token, with the secret.", Ref("AdminToken"),
                AdminTokenExample.Replace("\"application\": \"Elk\"", "\"application\": null", StringComparison.Ordinal)
                    .Replace("\"last_used_at\": \"2026-04-10T12:30:05.912Z\"", "\"last_used_at\": null", StringComparison.Ordinal).TrimEnd().TrimEnd('}') +
                $", \"access_token\": \"{AccessToken}\"}}")],
            [
                .. AdminRefusals,
                BadBody,
                TooLarge,
                NotFound,
                Fail(422, "Validation failed: Account is required: give account_id or username"),
                Fail(422, "Validation failed: Scope read:everything is not one this server knows"),
                Fail(422, "Validation failed: Admin scopes are granted only to accounts that are admins"),
                Fail(422, "Validation failed: Scope direct (an API key of the direct face) is given alone"),
            ]),
            body: new OpenApiRequestBody
            {
                Required = true,
                Description = "Form fields or JSON; the query string is read too.",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = Object(fields, []), Example = new JsonObject { ["username"] = "alice", ["scopes"] = "read write" } },
                    ["application/x-www-form-urlencoded"] = new()
                    {
                        Schema = Object(fields, []),
                        Example = new JsonObject { ["account_id"] = AccountId, ["scopes"] = "read write" },
                    },
                },
            });
    }
}
