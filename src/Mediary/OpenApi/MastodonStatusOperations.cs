using System.Text.Json.Nodes;
using Mediary.Mastodon;
using Mediary.Media;
using Mediary.Statuses;
using Microsoft.OpenApi;
using static Mediary.OpenApi.MastodonExamples;
using static Mediary.OpenApi.Shapes;

namespace Mediary.OpenApi;

/// <summary>The statuses that attach media (<see cref="StatusEndpoints"/>).</summary>
internal sealed partial class MastodonApiDocument
{
    /// <summary>Mastodon's validate_media! and the status's own validations, in their order.</summary>
    private static readonly string[] StatusFailures =
    [
        StatusMessages.TooMany,
        StatusMessages.NotFound(["117726599400884025", "0"]),
        StatusMessages.ImagesAndVideo,
        StatusMessages.NotReady,
        StatusMessages.TextBlank,
        "Validation failed: Text contains a null byte",
        "Validation failed: Text character limit of 500 exceeded",
    ];

    private Dictionary<string, Func<OpenApiOperation>> StatusOperations() => new()
    {
        ["POST /api/v1/statuses"] = () => Operation("createStatus", "Statuses", "Post a status",
            "Text and up to 4 of the account's processed, unattached media (one video or audio alone; gifv counts as an image). " +
            "Empty text is fine with media. The text is held to max_characters (500) as Mastodon counts it: spoiler text plus text, " +
            "in grapheme clusters, each URL as 23. The same Idempotency-Key within an hour answers the first status again.",
            Scopes("write", "write:statuses"),
            Answers([Json(StatusCodes.Status200OK, "The status.", Ref("Status"), MastodonExamples.Status)],
            [
                .. TokenFailures(),
                BadBody,
                TooLarge,
                .. StatusFailures.Select(message => Fail(422, message)),
                Fail(422, "Validation failed: Visibility is not included in the list"),
            ]),
            [Header("Idempotency-Key", Text(), "Any string; a retry with the same key within an hour answers the first status.",
                JsonValue.Create("5b0d3f7e-9c1a-4e2b-8f6d-1a2b3c4d5e6f"))],
            StatusBody(edit: false)),

        ["GET /api/v1/statuses/{id}"] = () => Operation("getStatus", "Statuses", "Get a status",
            "A status with its media, by id. Unlike Mastodon, a user's token is needed.",
            Scopes("read", "read:statuses", "read:accounts", "write", "profile"),
            Answers([Json(StatusCodes.Status200OK, "The status.", Ref("Status"), MastodonExamples.Status)], [.. TokenFailures(), NotFound]),
            [Id("The status's id.", StatusId)]),

        ["PUT /api/v1/statuses/{id}"] = () => Operation("editStatus", "Statuses", "Edit a status",
            "The fields given replace the status's (visibility cannot change); media_ids, when given, replace its media, and media " +
            "dropped from it are unattached again. media_attributes[] edit media attached after the edit: description, focus and, " +
            "for video and audio, thumbnail. edited_at is set.",
            Scopes("write", "write:statuses"),
            Answers([Json(StatusCodes.Status200OK, "The edited status.", Ref("Status"),
                MastodonExamples.Status.Replace("\"edited_at\": null", "\"edited_at\": \"2026-04-10T12:07:30.114Z\"", StringComparison.Ordinal))],
            [
                .. TokenFailures(),
                BadBody,
                NotFound,
                TooLarge,
                .. StatusFailures.Select(message => Fail(422, message)),
                Fail(422, "Validation failed: " + MediaMessages.DescriptionTooLong(10_000)),
                Fail(422, "Validation failed: " + MediaMessages.FocusInvalid),
                Fail(422, "Validation failed: " + MediaMessages.ThumbnailMustBeBlank),
            ]),
            [Id("The status's id.", StatusId)],
            StatusBody(edit: true)),

        ["DELETE /api/v1/statuses/{id}"] = () => Operation("deleteStatus", "Statuses", "Delete a status",
            "Answers the deleted status, as Mastodon does for a redraft. Its media are unattached again (GET /api/v1/media/{id} finds " +
            "them), or with delete_media=true deleted with their files.",
            Scopes("write", "write:statuses"),
            Answers([Json(StatusCodes.Status200OK, "The status as it was.", Ref("Status"), MastodonExamples.Status)], [.. TokenFailures(), NotFound]),
            [
                Id("The status's id.", StatusId),
                Query("delete_media", Boolean(), "true or 1: delete its media too, instead of unattaching them.", JsonValue.Create(false)),
            ]),
    };

    private static OpenApiRequestBody StatusBody(bool edit)
    {
        var text = Text("The text, plain; at most 500 characters with spoiler_text.");
        var spoiler = Text("The content warning.");
        var language = Text("ISO 639 code, e.g. en.");
        var visibility = OneOf("public", "unlisted", "private", "direct").Described("Default public.");
        (string, IOpenApiSchema)[] Common(IOpenApiSchema sensitive) =>
        [
            ("status", text),
            ("sensitive", sensitive),
            ("spoiler_text", spoiler),
            ("language", language),
            .. edit ? Array.Empty<(string, IOpenApiSchema)>() : [("visibility", visibility)],
        ];
        var ids = ArrayOf(Text(), "Ids of the account's processed media not attached elsewhere, at most 4.");
        var formSensitive = Text("true, 1 or on: sensitive.");

        (string, IOpenApiSchema)[] formAttributes = edit
            ?
            [
                ("media_attributes[][id]", ArrayOf(Text(), "The attached media to edit, one per group.")),
                ("media_attributes[][description]", ArrayOf(Text())),
                ("media_attributes[][focus]", ArrayOf(Text("\"x,y\"."))),
            ]
            : [];
        (string, IOpenApiSchema)[] jsonAttributes = edit
            ?
            [
                ("media_attributes", ArrayOf(Object(
                    [
                        ("id", Text()),
                        ("description", Text()),
                        ("focus", Text("\"x,y\".")),
                        ("thumbnail", Text("A data: URI (video and audio).")),
                    ],
                    ["id"]), "Edits of the media attached after the edit.")),
            ]
            : [];

        var json = edit
            ? new JsonObject
            {
                ["status"] = "Hello again",
                ["media_ids"] = new JsonArray(ImageId),
                ["media_attributes"] = new JsonArray(new JsonObject { ["id"] = ImageId, ["description"] = "A photo of the bay" }),
            }
            : new JsonObject { ["status"] = "Hello <world>\n\nSecond paragraph", ["media_ids"] = new JsonArray(ImageId), ["language"] = "en" };
        var form = new JsonObject { ["status"] = edit ? "Hello again" : "Hello", ["media_ids[]"] = new JsonArray(ImageId) };
        return new OpenApiRequestBody
        {
            Required = !edit,
            Description = "Form fields or JSON; parameters may also come in the query string.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new()
                {
                    Schema = Object([.. Common(Boolean()), ("media_ids", ids), .. jsonAttributes], []),
                    Example = json,
                },
                ["application/x-www-form-urlencoded"] = new()
                {
                    Schema = Object([.. Common(formSensitive), ("media_ids[]", ids), .. formAttributes], []),
                    Example = form,
                },
                ["multipart/form-data"] = new()
                {
                    Schema = Object(
                    [
                        .. Common(formSensitive),
                        ("media_ids[]", ids),
                        .. formAttributes,
                        .. edit ? [("media_attributes[][thumbnail]", ArrayOf(Binary("A thumbnail (video and audio).")))] : Array.Empty<(string, IOpenApiSchema)>(),
                    ], []),
                },
            },
        };
    }
}
