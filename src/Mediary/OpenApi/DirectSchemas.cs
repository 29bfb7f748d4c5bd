using Mediary.Direct;
using Microsoft.OpenApi;
using static Mediary.OpenApi.Shapes;

namespace Mediary.OpenApi;

/// <summary>The direct face's bodies (see <see cref="DirectJson"/> and <see cref="DirectEnvelope"/>), as components.</summary>
internal static class DirectSchemas
{
    public static readonly string[] ErrorCodes =
    [
        DirectErrorCodes.ValidationError, DirectErrorCodes.InvalidFieldName, DirectErrorCodes.UploadNotReady,
        DirectErrorCodes.VerificationFailed, DirectErrorCodes.MediaInUse, DirectErrorCodes.AuthenticationFailed,
        DirectErrorCodes.Forbidden, DirectErrorCodes.QuotaExceeded, DirectErrorCodes.NotFound, DirectErrorCodes.MethodNotAllowed,
        DirectErrorCodes.PayloadTooLarge, DirectErrorCodes.UnsupportedMediaType, DirectErrorCodes.RateLimitExceeded,
        DirectErrorCodes.InternalError, DirectErrorCodes.ServiceUnavailable, DirectErrorCodes.OffsetMismatch,
        DirectErrorCodes.TusVersionUnsupported, DirectErrorCodes.ChecksumMismatch,
    ];

    public static readonly string[] DeclarableTypes =
    [
        "image/jpeg", "image/png", "image/gif", "image/webp", "image/heic", "image/heif",
        "video/mp4", "video/quicktime", "video/webm", "application/pdf",
    ];

    public static void AddTo(IDictionary<string, IOpenApiSchema> schemas, Func<string, IOpenApiSchema> reference)
    {
        schemas["Meta"] = Object(
            ("request_id", Text("Unique per request; also the X-Request-Id header.")),
            ("timestamp", Text("ISO 8601 UTC with milliseconds.", "date-time")));
        schemas["Error"] = Object(
            [
                ("message", Text("A sentence a person can act on.")),
                ("code", OneOf(ErrorCodes).Described("The error's code; each has one HTTP status.")),
                ("details", Object(("field", Text("The request field at fault.")))),
            ],
            ["message", "code"]);
        schemas["ErrorEnvelope"] = Object(("data", Null()), ("error", reference("Error")), ("meta", reference("Meta")));

        schemas["UploadDeclaration"] = Object(
            [
                ("filename", Text("The file's name with an extension, at most 255 characters. Not checked against content_type: the bytes decide at complete.")),
                ("content_type", OneOf(DeclarableTypes).Described("The file's type; its family (image, video, document) must match the bytes.")),
                ("size", Integer("The file's length in bytes (required, or file_size).", minimum: 1)),
                ("file_size", Integer("Another name for size, as the official SDK sends it.", minimum: 1)),
                ("checksum_sha256", Text("The file's SHA-256 as 64 hex digits; checked at complete.")),
            ],
            ["filename", "content_type"]);
        schemas["UploadMethod"] = Object(
            ("method", OneOf("PUT")),
            ("content_type", Text("The Content-Type the upload must carry.")),
            ("headers", Map(Text()).Described("Headers to send with the upload.")));
        schemas["UploadTicket"] = Object(
            ("media_id", Text("The media's id.", "uuid")),
            ("media_ids", ArrayOf(Text(format: "uuid"), "The media id alone, ready for POST /v1/posts.")),
            ("status", OneOf(DirectStates.PendingUpload)),
            ("upload_url", Text("Where to PUT the bytes, without an API key: Mediary's signed URL or an S3 presigned URL.", "uri")),
            ("resumable_upload_url", Text("The same upload as a tus 1.0.0 upload URL, without an API key: give it to a tus client " +
                "(tus-js-client's uploadUrl, Uppy's Tus plugin) to send the bytes in pieces and resume after a lost connection.", "uri")),
            ("upload_method", reference("UploadMethod")),
            ("provider", OneOf("local", "s3").Described("Who takes the upload.")),
            ("expires_in", Integer("Seconds until upload_url expires.")),
            ("expires_at", Text(format: "date-time")),
            ("max_size", Integer("The configured limit in bytes for the declared type.")),
            ("next_step", Text()));

        (string, IOpenApiSchema)[] media =
        [
            ("media_id", Text(format: "uuid")),
            ("media_ids", ArrayOf(Text(format: "uuid"))),
            ("status", OneOf(DirectStates.PendingUpload, DirectStates.Processing, DirectStates.Ready, DirectStates.Failed)),
            ("type", OneOf(DirectKinds.Image, DirectKinds.Video, DirectKinds.Document)),
            ("width", Integer().OrNull()),
            ("height", Integer().OrNull()),
            ("duration", Number("Seconds, for videos.").OrNull()),
            ("size", Integer("Bytes, as declared.")),
            ("content_type", Text()),
            ("created_at", Text(format: "date-time")),
            ("next_step", Text("What to do next; for failed media, the reason.")),
        ];
        schemas["Media"] = Object(media);
        schemas["MediaDetails"] = Object(
        [
            .. media,
            ("filename", Text()),
            ("url", Text("The processed file; null until ready.", "uri").OrNull()),
            ("thumbnail_url", Text(format: "uri").OrNull()),
            ("page_count", Integer("PDFs only.").OrNull()),
        ]);
        schemas["MediaList"] = Object(
            ("items", ArrayOf(reference("MediaDetails"), "Newest first.")),
            ("total", Integer()),
            ("limit", Integer()),
            ("offset", Integer()));
        schemas["MediaDeleted"] = Object(("media_id", Text(format: "uuid")), ("deleted", Boolean()));

        schemas["PostRequest"] = Object(
            [
                ("content", Text("The post's text.")),
                ("media_ids", ArrayOf(Text(format: "uuid"), "Ready media of the key's account, each in one post at most.")),
            ],
            []);
        schemas["Post"] = Object(
            ("id", Text(format: "uuid")),
            ("content", Text()),
            ("media_ids", ArrayOf(Text(format: "uuid"))),
            ("created_at", Text(format: "date-time")));
        schemas["PostDeleted"] = Object(("id", Text(format: "uuid")), ("deleted", Boolean()));
        schemas["Usage"] = UsageSchema();
    }

    /// <summary>The account's storage, the same on both faces (<see cref="Media.UsageJson"/>).</summary>
    public static OpenApiSchema UsageSchema() => Object(
        ("used_bytes", Integer("Stored media, at their processed sizes.")),
        ("reserved_bytes", Integer("Declared on the direct face and not yet completed.")),
        ("limit_bytes", Integer("Quotas:StorageBytes; null without a quota.").OrNull()),
        ("remaining_bytes", Integer().OrNull()),
        ("media_count", Integer()));
}
