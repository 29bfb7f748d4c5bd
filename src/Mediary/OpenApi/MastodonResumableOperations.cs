using System.Text.Json.Nodes;
using Mediary.Mastodon;
using Mediary.Media;
using Mediary.Resumable;
using Microsoft.OpenApi;
using static Mediary.OpenApi.MastodonExamples;
using static Mediary.OpenApi.Shapes;

namespace Mediary.OpenApi;

/// <summary>tus 1.0.0 on the Mastodon face (<see cref="ResumableMediaEndpoints"/>), under <c>/api/v2/media/uploads</c>.</summary>
internal sealed partial class MastodonApiDocument
{
    private const string UploadId = "c2b0e8a51f7d4b8e9a3f6d1c0e7b5a42";
    private const string UploadExpires = "Sat, 05 Dec 2026 10:15:00 GMT";

    private static readonly Failure WrongTusVersion = Fail(StatusCodes.Status412PreconditionFailed, ResumableMediaEndpoints.WrongVersion);

    private Dictionary<string, Func<OpenApiOperation>> ResumableOperations()
    {
        var upload = Id("The upload's id, the last segment of the Location answered at its creation.", UploadId);
        Failure[] taking = [.. TokenFailures(), WrongTusVersion, NotFound];
        return new()
        {
            ["OPTIONS /api/v2/media/uploads"] = () => Discovery("discoverResumableUploads"),
            ["OPTIONS /api/v2/media/uploads/{id}"] = () => Discovery("discoverResumableUpload", upload),

            ["POST /api/v2/media/uploads"] = () => Operation("createResumableUpload", "Resumable uploads", "Create a resumable upload",
                "tus 1.0.0 creation. The file's size comes in Upload-Length; the largest file either type may be (Tus-Max-Size) " +
                "bounds it, since the type is known only once the first bytes are here: then the type's own limit applies (422). " +
                "Upload-Metadata may carry filename, description and focus (each value base64), checked as POST /api/v2/media checks " +
                "them. Counts once against the upload rate limit, however many PATCHes follow. The first bytes may come in the same " +
                "request (creation-with-upload, Content-Type application/offset+octet-stream). An upload not finished within " +
                "ResumableUploads:ExpirySeconds (86400) of its creation is removed with its bytes.",
                Scopes("write", "write:media"),
                Answers(
                    [
                        (StatusCodes.Status201Created, Empty("Created. Location is the upload's URL; with creation-with-upload, Upload-Offset " +
                            "says how many of the bytes sent were kept, and Mediary-Media-Id is there when they were the whole file.",
                            TusHeaders(location: true, mediaId: true))),
                    ],
                    [
                        .. TokenFailures(),
                        Fail(StatusCodes.Status400BadRequest, ResumableMediaEndpoints.LengthRequired),
                        Fail(StatusCodes.Status400BadRequest, ResumableMediaEndpoints.DeferredLength),
                        Fail(StatusCodes.Status400BadRequest, ResumableMediaEndpoints.BadMetadata),
                        WrongTusVersion,
                        TooLarge,
                        Fail(422, "Validation failed: " + MediaMessages.DescriptionTooLong(10_000)),
                        Fail(422, "Validation failed: " + MediaMessages.ContentTypeInvalid),
                        Fail(422, "Validation failed: Storage quota of 100 MB exceeded"),
                        TooManyRequests,
                        Fail(StatusCodes.Status429TooManyRequests, new TooManyOpenUploadsException(10).Message),
                    ]),
                [
                    TusResumable(),
                    Header("Upload-Length", Integer(minimum: 0), "The file's size in bytes.", JsonValue.Create(20_971_520)),
                    Header("Upload-Metadata", Text(), "Comma-separated keys, each with its value in base64: filename, description, focus.",
                        JsonValue.Create("filename Y2xpcC5tcDQ=,description QSBzaG9ydCBjbGlw,focus MC4wLDAuNQ==")),
                ],
                Bytes("The first bytes of the file (creation-with-upload), optional.", required: false)),

            ["HEAD /api/v2/media/uploads/{id}"] = () => Operation("getResumableUploadOffset", "Resumable uploads", "Where an upload stands",
                "The offset the next PATCH must start at: every byte before it is durable. A request still sending bytes to the " +
                "upload is stopped first, so the answer is final. Mediary-Media-Id is there once the upload became a media. " +
                "A HEAD response has no body, so a refusal says its status only.",
                Scopes("write", "write:media"),
                Answers([(StatusCodes.Status200OK, Empty("The upload's state.", TusHeaders(metadata: true, mediaId: true)))], taking),
                [TusResumable(), upload]),

            ["PATCH /api/v2/media/uploads/{id}"] = () => Operation("appendResumableUpload", "Resumable uploads", "Send bytes of an upload",
                "Appends the body at Upload-Offset, which must be the upload's offset (HEAD tells it). The bytes are made durable " +
                "before the new offset is answered; if the connection breaks, what arrived up to the last durable point is kept " +
                "(ResumableUploads:CheckpointBytes). With Upload-Checksum, the body must have that digest (460 otherwise, nothing " +
                "kept). Once the first bytes are here the type is sniffed: a type Mastodon refuses, or a file over its type's " +
                "limit, is 422 and the upload is removed. The last byte makes the media as POST /api/v2/media would (the same " +
                "checks and errors); its id comes in Mediary-Media-Id, and GET /api/v1/media/{id} tells when video or audio is " +
                "processed. Repeating the last PATCH, empty, at the upload's length, answers the same again.",
                Scopes("write", "write:media"),
                Answers(
                    [(StatusCodes.Status204NoContent, Empty("The bytes are kept; Upload-Offset is the new offset.", TusHeaders(mediaId: true)))],
                    [
                        .. TokenFailures(),
                        Fail(StatusCodes.Status400BadRequest, ResumableMediaEndpoints.OffsetRequired),
                        Fail(StatusCodes.Status400BadRequest, ResumableMediaEndpoints.BadChecksum),
                        NotFound,
                        Fail(StatusCodes.Status409Conflict, ResumableMediaEndpoints.OffsetMismatch(0, 5_242_880)),
                        Fail(StatusCodes.Status409Conflict, ResumableMediaEndpoints.TakenOver),
                        WrongTusVersion,
                        Fail(StatusCodes.Status413PayloadTooLarge, ResumableMediaEndpoints.BodyTooLong(1024)),
                        Fail(StatusCodes.Status415UnsupportedMediaType, ResumableMediaEndpoints.WrongContentType),
                        .. UploadFailures.Select(message => Fail(422, message)),
                        Fail(Tus.ChecksumMismatchStatus, ResumableMediaEndpoints.ChecksumMismatch),
                    ]),
                [
                    TusResumable(),
                    upload,
                    Header("Upload-Offset", Integer(minimum: 0), "Where the body starts in the file.", JsonValue.Create(5_242_880)),
                    Header("Upload-Checksum", Text(), "sha1 or sha256 and the body's digest in base64.",
                        JsonValue.Create("sha1 Kq5sNclPz7QV2+lfQIuc6R7oRu0=")),
                ],
                Bytes("The next bytes of the file.", required: true)),

            ["DELETE /api/v2/media/uploads/{id}"] = () => Operation("cancelResumableUpload", "Resumable uploads", "Cancel an upload",
                "tus termination: the upload and its bytes are removed; its URL answers 404 afterwards. A media it already became " +
                "stays (DELETE /api/v1/media/{id} removes that).",
                Scopes("write", "write:media"),
                Answers([(StatusCodes.Status204NoContent, Empty("Removed.", TusHeaders()))], taking),
                [TusResumable(), upload]),
        };
    }

    private OpenApiOperation Discovery(string id, OpenApiParameter? upload = null) => Operation(id, "Resumable uploads", "What tus offers",
        "tus discovery; no token needed. Tus-Max-Size is the largest file either type may be, one byte under the larger of " +
        "MediaLimits:ImageSizeLimit and MediaLimits:VideoSizeLimit.",
        Anyone(),
        Answers(
            [
                (StatusCodes.Status204NoContent, Empty("The versions, extensions, the largest size and the checksum algorithms.",
                    new Dictionary<string, IOpenApiHeader>
                    {
                        ["Tus-Resumable"] = ResponseHeader(Text(), Tus.Version),
                        ["Tus-Version"] = ResponseHeader(Text(), Tus.Version),
                        ["Tus-Extension"] = ResponseHeader(Text(), Tus.Extensions),
                        ["Tus-Max-Size"] = ResponseHeader(Integer(), "The largest Upload-Length taken, in bytes."),
                        ["Tus-Checksum-Algorithm"] = ResponseHeader(Text(), Tus.ChecksumAlgorithms),
                    })),
                MalformedRequest,
            ],
            [], usesDatabase: false),
        upload is null ? [] : [upload]);

    /// <summary>The headers every tus answer carries, and those that say where an upload stands.</summary>
    private static Dictionary<string, IOpenApiHeader> TusHeaders(bool location = false, bool metadata = false, bool mediaId = false)
    {
        var headers = new Dictionary<string, IOpenApiHeader> { ["Tus-Resumable"] = ResponseHeader(Text(), Tus.Version) };
        if (location) headers["Location"] = ResponseHeader(Text(format: "uri"), $"The upload's URL, e.g. {Site}/api/v2/media/uploads/{UploadId}.");
        headers["Upload-Offset"] = ResponseHeader(Integer(), "The bytes durably kept so far.");
        headers["Upload-Length"] = ResponseHeader(Integer(), "The file's size, as declared.");
        headers["Upload-Expires"] = ResponseHeader(Text(), $"While unfinished, when the upload will be removed (RFC 9110 date), e.g. {UploadExpires}.");
        if (metadata) headers["Upload-Metadata"] = ResponseHeader(Text(), "As the creation sent it.");
        if (mediaId) headers[ResumableMediaEndpoints.MediaIdHeader] = ResponseHeader(Text(), $"Once the last byte is here: the media's id, e.g. {ClipId}.");
        return headers;
    }

    private static OpenApiParameter TusResumable()
    {
        var version = Header("Tus-Resumable", OneOf(Tus.Version), "The tus version spoken; another is 412.", JsonValue.Create(Tus.Version));
        version.Required = true;
        return version;
    }

    private static OpenApiRequestBody Bytes(string description, bool required) => new()
    {
        Required = required,
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            [Tus.OffsetContentType] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
        },
    };
}
