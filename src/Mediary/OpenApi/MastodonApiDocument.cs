using Mediary.Mastodon;
using Mediary.OAuth;
using Microsoft.OpenApi;
using static Mediary.OpenApi.Shapes;

namespace Mediary.OpenApi;

/// <summary>
/// The Mastodon face (<c>/api</c>, OAuth) as OpenAPI 3.1: each area's operations are in a file of its own
/// (MastodonMediaOperations.cs, ...), its entities in <see cref="MastodonSchemas"/>, its examples in
/// <see cref="MastodonExamples"/>.
/// </summary>
internal sealed partial class MastodonApiDocument(OpenApiDocument document) : FaceDocument(document)
{
    private const string OAuth = "oauth";
    private const string ClientBasic = "clientBasic";

    protected override OpenApiInfo Info => new()
    {
        Title = "Mediary Mastodon API",
        Version = InstanceEndpoints.Version,
        Description = "The part of Mastodon's REST API that Mediary serves (media, the statuses that attach them, the accounts and " +
            "OAuth around them), answered as Mastodon " + InstanceEndpoints.Version + " answers: every key present, in Mastodon's " +
            "order; ids are strings of 64-bit integers; every error is {\"error\": \"...\"} with Mastodon's text, except the OAuth " +
            "token endpoints (Doorkeeper's {error, error_description}) and a refused sign-up ({error, details}). Tokens go in " +
            "Authorization: Bearer TOKEN (or an access_token parameter); a token with write passes where write:media is asked. " +
            "Every response under /api carries Vary: Authorization, and Cache-Control: private, no-store when the request had a token. " +
            "Paths under /api/v1/mediary are Mediary's own.",
    };

    protected override IEnumerable<OpenApiTag> Tags =>
    [
        new() { Name = "Media", Description = "Uploading, describing and deleting media attachments." },
        new() { Name = "Resumable uploads", Description = "Mediary's own: media uploaded with tus 1.0.0, resumed after a lost connection." },
        new() { Name = "Statuses", Description = "Posts that attach media." },
        new() { Name = "Accounts", Description = "The signed-in account, accounts by id, and sign-up by an app." },
        new() { Name = "Apps", Description = "Registering an app and checking its token." },
        new() { Name = "OAuth", Description = "Signing users in: authorization, tokens, revocation and the server's metadata." },
        new() { Name = "Instance", Description = "The server and the limits uploads are checked against." },
        new() { Name = "Usage", Description = "Mediary's own: the account's storage and its quota." },
        new() { Name = "Webhooks", Description = "Mediary's own: signed HTTP callbacks when the account's media are processed, fail or are deleted." },
        new() { Name = "Admin", Description = "Mediary's own, for admin accounts: accounts and their storage, the job queue, tokens." },
    ];

    protected override void AddComponents(OpenApiComponents components)
    {
        var schemas = components.Schemas!;
        MastodonSchemas.AddTo(schemas, Ref);
        AddAccountSchemas(schemas, Ref);
        AddOAuthSchemas(schemas);
        AddInstanceSchemas(schemas);
        AddWebhookSchemas(schemas);
        AddAdminSchemas(schemas);
        var scopes = OAuthScopes.Supported.ToDictionary(scope => scope, MastodonSchemas.ScopeMeaning);
        components.SecuritySchemes![OAuth] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.OAuth2,
            Description = "Mastodon's OAuth 2.0 (Doorkeeper). A user's token comes from the authorization code flow (PKCE S256 " +
                "optional); an app's own token, with no user, from client_credentials. Tokens made with `mediary tokens create` " +
                "work the same. Send it as Authorization: Bearer TOKEN. Tokens do not expire; there are no refresh tokens.",
            Flows = new OpenApiOAuthFlows
            {
                AuthorizationCode = new OpenApiOAuthFlow
                {
                    AuthorizationUrl = new Uri("/oauth/authorize", UriKind.Relative),
                    TokenUrl = new Uri("/oauth/token", UriKind.Relative),
                    Scopes = scopes,
                },
                ClientCredentials = new OpenApiOAuthFlow { TokenUrl = new Uri("/oauth/token", UriKind.Relative), Scopes = scopes },
            },
        };
        components.SecuritySchemes[ClientBasic] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "basic",
            Description = "An app's client_id and client_secret as HTTP Basic (client_secret_basic), instead of in the body, never both.",
        };
    }

    protected override IReadOnlyDictionary<string, Func<OpenApiOperation>> Operations()
    {
        var all = new Dictionary<string, Func<OpenApiOperation>>();
        foreach (var area in new[] { MediaOperations(), StatusOperations(), AccountOperations(), OAuthOperations(), InstanceOperations(), WebhookOperations(), AdminOperations(),
            ResumableOperations(), RufhOperations(), ListingOperations() })
        {
            foreach (var (key, operation) in area) all.Add(key, operation);
        }
        return all;
    }

    private OpenApiOperation Operation(string id, string tag, string summary, string description, List<OpenApiSecurityRequirement> security,
        OpenApiResponses responses, List<IOpenApiParameter>? parameters = null, OpenApiRequestBody? body = null) => new()
        {
            OperationId = id,
            Tags = Tag(tag),
            Summary = summary,
            Description = description,
            Security = security,
            Parameters = parameters ?? [],
            RequestBody = body,
            Responses = responses,
        };

    /// <summary>A token holding any one of <paramref name="scopes"/> (Mastodon's <c>doorkeeper_authorize!</c>).</summary>
    private List<OpenApiSecurityRequirement> Scopes(params string[] scopes) => Security(OAuth, [.. scopes.Select(scope => new[] { scope })]);

    private static OpenApiParameter Id(string description, string example) => PathId(description, example);
}
