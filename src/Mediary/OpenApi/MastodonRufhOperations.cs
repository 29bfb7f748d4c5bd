using System.Text.Json.Nodes;
using Mediary.Mastodon;
using Mediary.Resumable;
using Microsoft.OpenApi;
using static Mediary.OpenApi.MastodonExamples;
using static Mediary.OpenApi.Shapes;

namespace Mediary.OpenApi;

/// <summary>Resumable Uploads for HTTP (the IETF draft) on POST /api/v2/media (<see cref="RufhMediaEndpoints"/>).</summary>
internal sealed partial class MastodonApiDocument
{
    private const string RufhTag = "Resumable uploads";

    private Dictionary<string, Func<OpenApiOperation>> RufhOperations()
    {
        var upload = Id("The upload resource's id, the last segment of the Location answered at its creation.", UploadId);
        Failure[] taking = [.. TokenFailures(), NotFound];
        return new()
        {
            ["OPTIONS /api/v2/media"] = () => Operation("discoverPartialUploads", RufhTag, "What the draft offers",
                "Resumable Uploads for HTTP discovery; no token needed. Accept-Patch names application/partial-upload; Upload-Limit " +
                "has max-size (MediaLimits:MaxMultipartBodyBytes, the largest form; a file sent as itself may be up to one byte " +
                "under the larger of the image and video limits) and max-age (ResumableUploads:ExpirySeconds).",
                Anyone(),
                Answers([(StatusCodes.Status204NoContent, Empty("What is offered.", new Dictionary<string, IOpenApiHeader>
                {
                    ["Accept-Patch"] = ResponseHeader(Text(), Rufh.PartialUploadContentType),
                    ["Upload-Limit"] = ResponseHeader(Text(), "e.g. max-size=104857600, max-age=86400."),
                })), MalformedRequest], [], usesDatabase: false)),

            ["HEAD /api/v2/media/resumable/{id}"] = () => Operation("getPartialUploadOffset", RufhTag, "Where a partial upload stands",
                "The offset the next PATCH must start at: every byte before it is durable. A request still sending bytes to the " +
                "upload is stopped first, so the answer is final. Once the upload is complete, Mediary-Media-Id is the media it " +
                "became. A HEAD response has no body, so a refusal says its status only.",
                Scopes("write", "write:media"),
                Answers([(StatusCodes.Status204NoContent, Empty("The upload's state.", RufhHeaders(limit: true, mediaId: true)))], taking),
                [upload, InteropVersion()]),

            ["PATCH /api/v2/media/resumable/{id}"] = () => Operation("appendPartialUpload", RufhTag, "Send more of a partial upload",
                "Appends the body (application/partial-upload) at Upload-Offset, which must be the upload's offset (409 with the " +
                "draft's mismatching-upload-offset problem otherwise). Bytes are durable before the offset is answered; a broken " +
                "connection keeps what arrived up to the last durable point. Content-Digest (sha-256 or sha-512) must match the " +
                "body, or none of it is kept. With Upload-Complete: ?1 and the whole body here, the representation is read as " +
                "POST /api/v2/media reads its request and the answer is that endpoint's (200 for an image, 202 while video or " +
                "audio processes, its errors too), with Upload-Complete: ?1; a Repr-Digest given at the creation must match the " +
                "whole. Length values that disagree (Upload-Length, the end of a completing body) are 400 inconsistent-upload-length.",
                Scopes("write", "write:media"),
                WithProblems(Answers(
                    [
                        (StatusCodes.Status204NoContent, Empty("The bytes are kept; Upload-Offset is the new offset.", RufhHeaders())),
                        Json(StatusCodes.Status200OK, "The completing request: an image, processed.", Ref("MediaAttachment"), Image,
                            RufhHeaders(mediaId: true, complete: true)),
                        Json(StatusCodes.Status202Accepted, "The completing request: video, audio or an animated GIF, processing.",
                            Ref("MediaAttachment"), ClipProcessing, RufhHeaders(mediaId: true, complete: true)),
                    ],
                    [
                        .. TokenFailures(),
                        Fail(StatusCodes.Status400BadRequest, RufhMediaEndpoints.OffsetRequired),
                        Fail(StatusCodes.Status400BadRequest, RufhMediaEndpoints.CompleteRequired),
                        Fail(StatusCodes.Status400BadRequest, RufhMediaEndpoints.BadDigest),
                        Fail(StatusCodes.Status400BadRequest, RufhMediaEndpoints.DigestMismatch),
                        Fail(StatusCodes.Status400BadRequest, RufhMediaEndpoints.ReprDigestMismatch),
                        NotFound,
                        Fail(StatusCodes.Status409Conflict, RufhMediaEndpoints.TakenOver),
                        TooLarge,
                        Fail(StatusCodes.Status415UnsupportedMediaType, RufhMediaEndpoints.WrongContentType),
                        .. UploadFailures.Select(message => Fail(422, message)),
                    ])),
                [
                    upload,
                    InteropVersion(),
                    Header("Upload-Offset", Integer(minimum: 0), "Where the body starts in the representation.", JsonValue.Create(5_242_880)),
                    Required(Header("Upload-Complete", OneOf("?0", "?1"), "?1 when the body ends the representation.", JsonValue.Create("?1"))),
                    Header("Upload-Length", Integer(minimum: 0), "The representation's length, if not said before.", JsonValue.Create(20_971_520)),
                    Header("Content-Digest", Text(), "sha-256 or sha-512 of this body (RFC 9530).",
                        JsonValue.Create("sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:")),
                ],
                new OpenApiRequestBody
                {
                    Required = true,
                    Description = "The next bytes of the representation (the form, or the file).",
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        [Rufh.PartialUploadContentType] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
                    },
                }),

            ["DELETE /api/v2/media/resumable/{id}"] = () => Operation("cancelPartialUpload", RufhTag, "Cancel a partial upload",
                "The upload and its bytes are removed (a request still sending to it is stopped first); its URL answers 404 " +
                "afterwards. A media it already became stays.",
                Scopes("write", "write:media"),
                Answers([(StatusCodes.Status204NoContent, Empty("Removed."))], taking),
                [upload]),
        };
    }

    /// <summary>The 201 of POST /api/v2/media when the request starts a resumable upload.</summary>
    private static (int Status, OpenApiResponse Response) PartialUploadCreated =>
        (StatusCodes.Status201Created, Empty("With Upload-Draft-Interop-Version: 8 and Upload-Complete: ?0 (Resumable Uploads for " +
            "HTTP): the body is the start of the request, kept in an upload resource at Location; send the rest there with PATCH. " +
            "Counts once against the upload rate limit. Any other version, none, or Upload-Complete: ?1 is a plain upload.",
            RufhHeaders(location: true, limit: true)));

    /// <summary>The draft's problem types (RFC 9457), beside Mastodon's errors of the same status.</summary>
    private static OpenApiResponses WithProblems(OpenApiResponses responses)
    {
        var schema = Object([("type", Text(format: "uri")), ("title", Text()), ("expected-offset", Integer("For a mismatching offset.")),
            ("provided-offset", Integer("For a mismatching offset."))], ["type", "title"]);
        (string Status, string Type, string Title, JsonObject? Extra)[] problems =
        [
            ("400", Rufh.CompletedUpload, "upload is already completed", null),
            ("400", Rufh.InconsistentLength, "inconsistent length values for upload", null),
            ("409", Rufh.MismatchingOffset, "offset from request does not match offset of resource",
                new JsonObject { ["expected-offset"] = 12_500_000, ["provided-offset"] = 25_000_000 }),
        ];
        foreach (var group in problems.GroupBy(problem => problem.Status))
        {
            var examples = new Dictionary<string, IOpenApiExample>();
            foreach (var (_, type, title, extra) in group)
            {
                var value = new JsonObject { ["type"] = type, ["title"] = title };
                foreach (var (key, member) in extra ?? []) value[key] = member?.DeepClone();
                examples[type[(type.IndexOf('#') + 1)..]] = new OpenApiExample { Summary = title, Value = value };
            }
            var response = (OpenApiResponse)responses[group.Key];
            response.Content ??= new Dictionary<string, OpenApiMediaType>();
            response.Content["application/problem+json"] = new() { Schema = schema, Examples = examples };
        }
        return responses;
    }

    private static Dictionary<string, IOpenApiHeader> RufhHeaders(bool location = false, bool limit = false, bool mediaId = false, bool complete = false)
    {
        var headers = new Dictionary<string, IOpenApiHeader>();
        if (location) headers["Location"] = ResponseHeader(Text(format: "uri"), $"The upload resource, e.g. {Site}{RufhMediaEndpoints.PathFor(UploadId)}.");
        if (!complete) headers["Upload-Offset"] = ResponseHeader(Integer(), "The bytes durably kept so far.");
        headers["Upload-Complete"] = ResponseHeader(OneOf("?0", "?1"), "?1 once the completing request was taken.");
        if (!complete) headers["Upload-Length"] = ResponseHeader(Integer(), "The representation's length, once said.");
        if (limit) headers["Upload-Limit"] = ResponseHeader(Text(), "max-size, and max-age while the upload is open.");
        if (complete) headers["Repr-Digest"] = ResponseHeader(Text(), "The whole representation's digest, when the creation sent Want-Repr-Digest.");
        if (mediaId) headers[ResumableMediaEndpoints.MediaIdHeader] = ResponseHeader(Text(), $"Once complete: the media's id, e.g. {ClipId}.");
        return headers;
    }

    private static OpenApiParameter InteropVersion() =>
        Header(Rufh.InteropVersionHeader, OneOf(Rufh.InteropVersion), "The draft's interop version, as the client sends it.", JsonValue.Create(Rufh.InteropVersion));

    private static OpenApiParameter Required(OpenApiParameter parameter)
    {
        parameter.Required = true;
        return parameter;
    }
}
