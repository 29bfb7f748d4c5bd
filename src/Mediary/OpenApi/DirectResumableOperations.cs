using System.Text.Json.Nodes;
using Mediary.Direct;
using Mediary.Resumable;
using Microsoft.OpenApi;
using static Mediary.OpenApi.Shapes;

namespace Mediary.OpenApi;

/// <summary>Step 2 with tus on <c>resumable_upload_url</c> (<see cref="DirectResumableEndpoints"/>).</summary>
internal sealed partial class DirectApiDocument
{
    private OpenApiOperation ResumableDiscovery() => new()
    {
        OperationId = "discoverResumable",
        Tags = Tag("Media"),
        Summary = "Step 2 with tus: what is offered",
        Description = "tus discovery, no API key and no signature needed.",
        Security = Anyone(),
        Parameters = [PathId("The media_id from step 1.", MediaId)],
        Responses = Responses(Empty("The tus version, extensions, largest size and checksum algorithms.", new Dictionary<string, IOpenApiHeader>
        {
            ["Tus-Resumable"] = ResponseHeader(Text(), Tus.Version),
            ["Tus-Version"] = ResponseHeader(Text(), Tus.Version),
            ["Tus-Extension"] = ResponseHeader(Text(), DirectResumableEndpoints.Extensions),
            ["Tus-Max-Size"] = ResponseHeader(Integer(), "The largest file of any kind, in bytes."),
            ["Tus-Checksum-Algorithm"] = ResponseHeader(Text(), Tus.ChecksumAlgorithms),
        }), errors: [(DirectErrorCodes.ValidationError, "The request could not be processed.", null)], keyed: false, okStatus: "204"),
    };

    private OpenApiOperation TusStep(string id, string okStatus, string summary, string description, OpenApiResponse ok, OpenApiRequestBody? body,
        params (string Code, string Message, string? Field)[] errors) => new()
        {
            OperationId = id,
            Tags = Tag("Media"),
            Summary = summary,
            Description = description,
            Security = Anyone(),
            Parameters =
            [
                PathId("The media_id from step 1.", MediaId),
                Query("expires", Integer(), "As in resumable_upload_url.", JsonValue.Create(1775826000), required: true),
                Query("signature", Text(), "As in resumable_upload_url.",
                    JsonValue.Create("9f2c5e0d8a7b6c4e3f1a2b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e"), required: true),
                new OpenApiParameter
                {
                    Name = "Tus-Resumable",
                    In = ParameterLocation.Header,
                    Required = true,
                    Description = "The tus version spoken; another is 412.",
                    Schema = OneOf(Tus.Version),
                    Example = JsonValue.Create(Tus.Version),
                },
                .. body is null ? Array.Empty<IOpenApiParameter>() :
                [
                    Header("Upload-Offset", Integer(minimum: 0), "Where the body starts in the file.", JsonValue.Create(5_242_880)),
                    Header("Upload-Checksum", Text(), "sha1 or sha256 and the body's digest in base64.", JsonValue.Create("sha1 Kq5sNclPz7QV2+lfQIuc6R7oRu0=")),
                ],
            ],
            RequestBody = body,
            Responses = Responses(ok, errors:
            [
                .. errors,
                (DirectErrorCodes.Forbidden, "This upload URL is not valid: use upload_url exactly as POST /v1/media/upload returned it.", null),
                (DirectErrorCodes.TusVersionUnsupported, "Tus-Resumable must be 1.0.0.", null),
            ], keyed: false, okStatus: okStatus),
        };

    private static Dictionary<string, IOpenApiHeader> TusHeaders() => new()
    {
        ["Tus-Resumable"] = ResponseHeader(Text(), Tus.Version),
        ["Upload-Offset"] = ResponseHeader(Integer(), "The bytes durably kept so far."),
        ["Upload-Length"] = ResponseHeader(Integer(), "The declared size."),
        ["Upload-Expires"] = ResponseHeader(Text(), "When the declaration expires (RFC 9110 date)."),
    };
}
