using System.Globalization;
using System.Text.Json.Nodes;
using Mediary.Mastodon;
using Microsoft.OpenApi;
using static Mediary.OpenApi.Shapes;

namespace Mediary.OpenApi;

/// <summary>
/// The Mastodon face's responses: successes as given, and failures as Mastodon's <c>{"error": "..."}</c>,
/// one response per status with each text as a named example (see <see cref="MastodonErrors"/>).
/// </summary>
internal sealed partial class MastodonApiDocument
{
    /// <summary>An error the operation answers, with Mastodon's exact text.</summary>
    private readonly record struct Failure(int Status, string Message);

    private static Failure Fail(int status, string message) => new(status, message);

    /// <summary>Doorkeeper's token check and Mastodon's <c>require_user!</c>, in that order.</summary>
    private static IEnumerable<Failure> TokenFailures(bool requireUser = true)
    {
        yield return Fail(StatusCodes.Status401Unauthorized, MastodonErrors.InvalidToken);
        yield return Fail(StatusCodes.Status401Unauthorized, MastodonErrors.RevokedToken);
        yield return Fail(StatusCodes.Status403Forbidden, MastodonErrors.OutsideScopes);
        if (requireUser) yield return Fail(StatusCodes.Status422UnprocessableEntity, MastodonErrors.RequiresUser);
    }

    private static readonly Failure TooManyRequests = Fail(StatusCodes.Status429TooManyRequests, MastodonErrors.TooManyRequests);
    private static readonly Failure NotFound = Fail(StatusCodes.Status404NotFound, MastodonErrors.NotFound);
    private static readonly Failure BadBody = Fail(StatusCodes.Status400BadRequest, MastodonErrors.BadRequest);
    private static readonly Failure TooLarge = Fail(StatusCodes.Status413PayloadTooLarge, "Request entity too large");

    /// <summary>
    /// The only 4xx of an operation that refuses nothing: a request Kestrel cannot parse (a bad Host header, say) is
    /// answered 400 with an empty body before any endpoint runs.
    /// </summary>
    private static (int Status, OpenApiResponse Response) MalformedRequest =>
        (StatusCodes.Status400BadRequest, Empty("A malformed HTTP request, refused by the server before the endpoint (empty body)."));

    /// <summary>
    /// A 200 with <c>{}</c>, Rails' <c>render_empty</c>. Its example is a named one: the writer leaves out an empty
    /// object given as the media type's single example.
    /// </summary>
    private (int Status, OpenApiResponse Response) EmptyObject(string description) => (StatusCodes.Status200OK, new OpenApiResponse
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/json"] = new()
            {
                Schema = Ref("Empty"),
                Examples = new Dictionary<string, IOpenApiExample> { ["empty"] = new OpenApiExample { Summary = "{}", Value = new JsonObject() } },
            },
        },
    });

    /// <summary>A JSON success, e.g. <c>Json(200, "The media.", Ref("MediaAttachment"), example)</c>.</summary>
    private static (int Status, OpenApiResponse Response) Json(int status, string description, IOpenApiSchema schema, string example,
        IDictionary<string, IOpenApiHeader>? headers = null) =>
        (status, Response(description, "application/json", schema, example, headers));

    /// <summary>
    /// The responses: <paramref name="answers"/> as they are, then one per status of <paramref name="failures"/>,
    /// and the 500 and 503 that any operation may answer (a bug; the database, storage or helpers unavailable).
    /// </summary>
    /// <param name="usesDatabase">False for the operations that read only configuration: they never answer 503.</param>
    private OpenApiResponses Answers(IEnumerable<(int Status, OpenApiResponse Response)> answers, IEnumerable<Failure> failures,
        bool usesDatabase = true)
    {
        var responses = new OpenApiResponses();
        foreach (var (status, response) in answers) responses.Add(Code(status), response);
        IEnumerable<Failure> all =
        [
            .. failures,
            Fail(StatusCodes.Status500InternalServerError, MastodonErrors.Internal),
            .. usesDatabase ? [Fail(StatusCodes.Status503ServiceUnavailable, MastodonErrors.Unavailable)] : Array.Empty<Failure>(),
        ];
        foreach (var group in all.Distinct().GroupBy(failure => failure.Status).OrderBy(group => group.Key))
        {
            var examples = new Dictionary<string, IOpenApiExample>();
            foreach (var failure in group)
            {
                examples[UniqueName(examples, failure.Message)] = new OpenApiExample
                {
                    Summary = failure.Message,
                    Value = new JsonObject { ["error"] = failure.Message },
                };
            }
            responses.Add(Code(group.Key), new OpenApiResponse
            {
                Description = Describe(group.Key),
                Headers = ErrorHeaders(group.Key),
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = Ref("Error"), Examples = examples } },
            });
        }
        return responses;
    }

    private static string Code(int status) => status.ToString(CultureInfo.InvariantCulture);

    /// <summary>An example's name from its text, e.g. <c>record-not-found</c>.</summary>
    private static string UniqueName(Dictionary<string, IOpenApiExample> taken, string message)
    {
        var letters = message.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : ' ').ToArray();
        var stem = string.Join('-', new string(letters).Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(7));
        var name = stem;
        for (var n = 2; taken.ContainsKey(name); n++) name = $"{stem}-{n}";
        return name;
    }

    private static string Describe(int status) => status switch
    {
        400 => "The body is not valid (multipart cut short or without a boundary, malformed JSON).",
        401 => "No token, or an unknown or revoked one.",
        403 => "The token lacks the scope, or the action is refused.",
        404 => "No such record of this account.",
        409 => "The upload is not where the request says (HEAD tells where it is), or another request took it over.",
        412 => "Another tus version than the one served.",
        415 => "Not the body's type the operation takes.",
        413 => "The body is over the largest upload limit; refused while streaming.",
        422 => "Refused: Mastodon's validation text.",
        429 => "Throttled: the window's requests are spent.",
        500 => "A bug on the server's side; nothing is leaked.",
        460 => "tus's checksum mismatch: the body is not the one Upload-Checksum describes; nothing of it is kept.",
        503 => "The database, storage or the media helpers are unavailable for now; try again.",
        _ => "Refused.",
    };

    private static Dictionary<string, IOpenApiHeader>? ErrorHeaders(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => new()
        {
            ["WWW-Authenticate"] = ResponseHeader(Text(),
                "Bearer realm=\"Doorkeeper\", error=\"invalid_token\", error_description=\"The access token is invalid\"."),
        },
        StatusCodes.Status429TooManyRequests => RateLimitHeaders(),
        _ => null,
    };

    /// <summary>Mastodon's throttle headers; the reset as Ruby's <c>iso8601(6)</c>, e.g. 2026-04-10T12:30:00.000000Z.</summary>
    private static Dictionary<string, IOpenApiHeader> RateLimitHeaders() => new()
    {
        ["X-RateLimit-Limit"] = ResponseHeader(Integer(), "The window's limit."),
        ["X-RateLimit-Remaining"] = ResponseHeader(Integer(), "Requests left in the window."),
        ["X-RateLimit-Reset"] = ResponseHeader(Text(format: "date-time"), "When the window ends, ISO 8601 UTC with microseconds."),
    };
}
