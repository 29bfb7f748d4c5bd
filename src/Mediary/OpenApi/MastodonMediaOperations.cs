using System.Text.Json.Nodes;
using Mediary.Mastodon;
using Mediary.Media;
using Microsoft.OpenApi;
using static Mediary.OpenApi.MastodonExamples;
using static Mediary.OpenApi.Shapes;

namespace Mediary.OpenApi;

/// <summary>The media endpoints (<see cref="MediaEndpoints"/>) and the usage (<c>GET /api/v1/mediary/usage</c>).</summary>
internal sealed partial class MastodonApiDocument
{
    private static readonly string[] UploadFailures =
    [
        "Validation failed: " + MediaMessages.ContentTypeInvalid,
        "Validation failed: " + MediaMessages.FileBlank,
        "Validation failed: " + MediaMessages.FileTooBig(16 * 1024 * 1024),
        "Validation failed: " + MediaMessages.DescriptionTooLong(10_000),
        "Validation failed: " + MediaMessages.ThumbnailMustBeBlank,
        "Validation failed: " + MediaMessages.FocusInvalid,
        "Validation failed: Description contains a null byte",
        MediaMessages.ImageTooManyPixels(20000, 20000),
        MediaMessages.GifTooManyPixels(1200, 1200),
        "7680x4320 videos are not supported",
        "240fps videos are not supported",
        "Video has no video stream",
        MediaException.ProcessingFailed().Message,
        "Validation failed: Storage quota of 100 MB exceeded",
    ];

    private Dictionary<string, Func<OpenApiOperation>> MediaOperations() => new()
    {
        ["POST /api/v1/media"] = () => Upload("uploadMediaV1", "Upload media (waits for processing)",
            "Mastodon's deprecated v1: it waits until video, audio and animated GIFs are processed (at most Jobs:SynchronousWaitSeconds, " +
            "600, then 422), so it answers 200 with url set. 30 uploads per account per fixed 30-minute window (failed ones " +
            "included), counted before the body is read.",
            [Json(StatusCodes.Status200OK, "The media, processed.", Ref("MediaAttachment"), Image, RateLimitHeaders())]),

        ["POST /api/v2/media"] = () => Upload("uploadMedia", "Upload media",
            "Images (JPEG, PNG, WebP, static GIF; HEIC, HEIF and AVIF stored as JPEG) are processed at once: 200. Video, audio and " +
            "animated GIFs: 202 with url null, preview_url, meta.small and blurhash already there; poll GET /api/v1/media/{id} until " +
            "it answers 200. The type is sniffed from the bytes; the file's name and Content-Type are not trusted. 30 uploads " +
            "per account per fixed 30-minute window (failed ones included), counted before the body is read.",
            [
                Json(StatusCodes.Status200OK, "An image, processed.", Ref("MediaAttachment"), Image, RateLimitHeaders()),
                Json(StatusCodes.Status202Accepted, "Video, audio or an animated GIF, processing in the background: url is null.",
                    Ref("MediaAttachment"), ClipProcessing, RateLimitHeaders()),
                PartialUploadCreated,
            ]),

        ["GET /api/v1/media/{id}"] = () => Operation("getMedia", "Media", "Get media",
            "The account's media, while not attached to a status (attached media are read through the status).",
            Scopes("write", "write:media"),
            Answers(
                [
                    Json(StatusCodes.Status200OK, "Processed.", Ref("MediaAttachment"), Clip),
                    Json(StatusCodes.Status206PartialContent, "Still processing: url is null.", Ref("MediaAttachment"), ClipProcessing),
                ],
                [.. TokenFailures(), NotFound, Fail(422, MediaException.ProcessingFailed().Message)]),
            [Id("The media's id.", ClipId)]),

        ["PUT /api/v1/media/{id}"] = () => UpdateMedia("updateMedia"),
        ["PATCH /api/v1/media/{id}"] = () => UpdateMedia("patchMedia"),

        ["DELETE /api/v1/media/{id}"] = () => Operation("deleteMedia", "Media", "Delete media",
            "Removes the media and every file of it (their URLs answer 404), also when its processing failed. Media attached to a " +
            "status are refused: delete the status, or edit it without them, first.",
            Scopes("write", "write:media"),
            Answers([EmptyObject("Deleted: an empty object.")],
                [.. TokenFailures(), NotFound, Fail(422, MediaException.InUse().Message)]),
            [Id("The media's id.", ImageId)]),

        ["GET /api/v1/mediary/usage"] = () => Operation("getUsage", "Usage", "Storage usage",
            "Mediary's own (Mastodon has no quotas): the account's stored bytes, at their processed sizes; the direct face's " +
            "declared uploads not yet completed; the quota (Quotas:StorageBytes, null without one) and what is left.",
            Scopes("read", "read:accounts", "write", "write:media"),
            Answers([Json(StatusCodes.Status200OK, "The usage.", Ref("Usage"), Usage)], TokenFailures())),
    };

    private OpenApiOperation Upload(string id, string summary, string description, (int, OpenApiResponse)[] answers) =>
        Operation(id, "Media", summary, description, Scopes("write", "write:media"),
            Answers(answers,
            [
                .. TokenFailures(),
                BadBody,
                TooLarge,
                .. UploadFailures.Select(message => Fail(422, message)),
                TooManyRequests,
            ]),
            body: MediaBody(create: true));

    private OpenApiOperation UpdateMedia(string id) => Operation(id, "Media", "Describe media",
        "Sets the description (a JSON null clears it), the focal point and, for video and audio, a custom thumbnail of media not " +
        "attached to a status (those are edited through PUT /api/v1/statuses/{id}'s media_attributes). The file cannot be replaced. " +
        "PUT and PATCH are the same.",
        Scopes("write", "write:media"),
        Answers(
            [
                Json(StatusCodes.Status200OK, "Updated.", Ref("MediaAttachment"), Clip),
                Json(StatusCodes.Status206PartialContent, "Updated, still processing: url is null.", Ref("MediaAttachment"), ClipProcessing),
            ],
            [
                .. TokenFailures(),
                BadBody,
                NotFound,
                TooLarge,
                Fail(422, "Validation failed: " + MediaMessages.DescriptionTooLong(10_000)),
                Fail(422, "Validation failed: " + MediaMessages.FocusInvalid),
                Fail(422, "Validation failed: " + MediaMessages.ThumbnailMustBeBlank),
                Fail(422, "Validation failed: Thumbnail content type is invalid, Thumbnail is invalid"),
                Fail(422, MediaMessages.ImageTooManyPixels(20000, 20000)),
                Fail(422, MediaException.ProcessingFailed().Message),
            ]),
        [Id("The media's id.", ClipId)],
        MediaBody(create: false));

    /// <summary>file (create only), thumbnail, description and focus, in the three encodings Rails reads.</summary>
    private static OpenApiRequestBody MediaBody(bool create)
    {
        (string, IOpenApiSchema)[] text =
        [
            ("description", create
                ? Text("Alternative text, at most 10000 characters (code points). Stored as sent.")
                : Text("Alternative text, at most 10000 characters (code points); in JSON, null clears it.").OrNull()),
            ("focus", Text("The focal point as \"x,y\", each from -1 to 1, e.g. \"0.5,-0.25\".")),
        ];
        OpenApiSchema Fields(IOpenApiSchema file, IOpenApiSchema thumbnail) => create
            ? Object([("file", file), ("thumbnail", thumbnail), .. text], ["file"])
            : Object([("thumbnail", thumbnail), .. text], []);
        var dataUri = Text("A data: URI, data:TYPE;base64,...: the only string a file field takes.");
        var urlExample = create
            ? new JsonObject { ["file"] = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==", ["description"] = "A red dot" }
            : new JsonObject { ["description"] = "A short clip", ["focus"] = "0.0,0.5" };
        return new OpenApiRequestBody
        {
            Required = create,
            Description = "Parameters may also come in the query string. " +
                (create ? "file: images up to 16 MB, video and audio up to 99 MB. " : "") +
                "thumbnail (video and audio only): an image, made a preview of at most 230400 pixels.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["multipart/form-data"] = new() { Schema = Fields(Binary("The file."), Binary("The custom thumbnail.")) },
                ["application/x-www-form-urlencoded"] = new() { Schema = Fields(dataUri, dataUri), Example = urlExample },
                ["application/json"] = new() { Schema = Fields(dataUri, dataUri), Example = urlExample.DeepClone() },
            },
        };
    }

    private static OpenApiSchema Binary(string description) => new() { Type = JsonSchemaType.String, Format = "binary", Description = description };
}
