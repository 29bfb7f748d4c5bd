using System.Text.Json.Nodes;
using Mediary.Mastodon;
using Microsoft.OpenApi;
using static Mediary.OpenApi.MastodonExamples;
using static Mediary.OpenApi.Shapes;

namespace Mediary.OpenApi;

/// <summary>Mediary's own admin API on the Mastodon face (<see cref="AdminEndpoints"/>), under <c>/api/v1/mediary/admin</c>.</summary>
internal sealed partial class MastodonApiDocument
{
    private const string AccountUsageExample = $$"""
        {"account_id": "{{AccountId}}", "username": "alice", "used_bytes": 61474, "reserved_bytes": 0, "limit_bytes": 104857600,
         "remaining_bytes": 104795914, "media_count": 4}
        """;

    private static void AddAdminSchemas(IDictionary<string, IOpenApiSchema> schemas)
    {
        schemas["AccountUsage"] = Object(
            ("account_id", Text("The account's id.")),
            ("username", Text()),
            ("used_bytes", Integer("Stored media, at their processed sizes.")),
            ("reserved_bytes", Integer("Declared on the direct face and not yet completed.")),
            ("limit_bytes", Integer("Quotas:StorageBytes; null without a quota.").OrNull()),
            ("remaining_bytes", Integer().OrNull()),
            ("media_count", Integer()));
        AddAdminAccountSchemas(schemas);
        AddAdminJobSchemas(schemas);
    }

    private Dictionary<string, Func<OpenApiOperation>> AdminOperations()
    {
        Failure[] refusals = [.. TokenFailures(), Fail(StatusCodes.Status403Forbidden, AdminEndpoints.NotAllowed)];
        const string who = " Needs admin:read (or admin:read:accounts) on the token of an account that is an admin when the request " +
            "comes (`mediary accounts set-admin NAME true`); anyone else gets 403 This action is not allowed.";
        var operations = new Dictionary<string, Func<OpenApiOperation>>
        {
            ["GET /api/v1/mediary/admin/usage"] = () => Operation("listAccountUsage", "Admin", "Storage of every account",
                "Each account's storage as it counts against Quotas:StorageBytes, the newest account first, paged as Mastodon pages: " +
                "when a page is full, a Link header gives the next one (rel=\"next\", with max_id)." + who,
                Scopes("admin:read", "admin:read:accounts"),
                Answers(
                    [
                        Json(StatusCodes.Status200OK, "A page of accounts.", ArrayOf(Ref("AccountUsage")), $"[{AccountUsageExample}]",
                            new Dictionary<string, IOpenApiHeader>
                            {
                                ["Link"] = ResponseHeader(Text(), $"<{Site}/api/v1/mediary/admin/usage?limit=40&max_id={AccountId}>; rel=\"next\""),
                            }),
                    ],
                    refusals),
                [
                    Query("limit", Integer(minimum: 1, maximum: AdminEndpoints.MaxLimit),
                        $"Accounts per page (default {AdminEndpoints.DefaultLimit}, at most {AdminEndpoints.MaxLimit}).", JsonValue.Create(40)),
                    Query("max_id", Text(), "Only accounts with a smaller id: the next page.", JsonValue.Create(AccountId)),
                ]),

            ["GET /api/v1/mediary/admin/usage/{account_id}"] = () => Operation("getAccountUsage", "Admin", "Storage of one account",
                "One account's storage, as the account itself sees it at GET /api/v1/mediary/usage." + who,
                Scopes("admin:read", "admin:read:accounts"),
                Answers([Json(StatusCodes.Status200OK, "The account's storage.", Ref("AccountUsage"), AccountUsageExample)], [.. refusals, NotFound]),
                [new OpenApiParameter
                {
                    Name = "account_id",
                    In = ParameterLocation.Path,
                    Required = true,
                    Description = "The account's id.",
                    Schema = Text(),
                    Example = JsonValue.Create(AccountId),
                }]),
        };
        foreach (var (key, operation) in AdminAccountOperations().Concat(AdminJobOperations())) operations.Add(key, operation);
        return operations;
    }

    /// <summary>Who may call the admin API, said in each operation: <paramref name="scopes"/>, then an account that is an admin.</summary>
    private static string AdminWho(string scopes) =>
        $" Needs {scopes} on the token of an account that is an admin when the request comes (`mediary accounts set-admin NAME true`); " +
        "anyone else gets 403 This action is not allowed.";

    private static Failure[] AdminRefusals => [.. TokenFailures(), Fail(StatusCodes.Status403Forbidden, AdminEndpoints.NotAllowed)];

    private static Dictionary<string, IOpenApiHeader> NextLink(string path) => new()
    {
        ["Link"] = ResponseHeader(Text(), $"<{Site}{AdminEndpoints.Prefix}{path}limit=40&max_id={AccountId}>; rel=\"next\""),
    };

    private static List<IOpenApiParameter> PageParameters(string what) =>
    [
        Query("limit", Integer(minimum: 1, maximum: AdminEndpoints.MaxLimit),
            $"{what} per page (default {AdminEndpoints.DefaultLimit}, at most {AdminEndpoints.MaxLimit}).", JsonValue.Create(40)),
        Query("max_id", Text(), $"Only {what.ToLowerInvariant()} with a smaller id: the next page.", JsonValue.Create(AccountId)),
    ];
}
