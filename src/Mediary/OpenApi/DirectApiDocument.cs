using System.Text.Json.Nodes;
using Mediary.Direct;
using Microsoft.OpenApi;
using static Mediary.OpenApi.Shapes;

namespace Mediary.OpenApi;

/// <summary>The direct upload face (<c>/v1</c>, served by <see cref="DirectEndpoints"/>) as OpenAPI 3.1.</summary>
internal sealed partial class DirectApiDocument(OpenApiDocument document) : FaceDocument(document)
{
    private const string Key = "apiKey";
    private const string MediaId = "0195f3a2-7c4e-7b61-9d52-3c1f0e8a4b27";
    private const string PostId = "0195f3a4-1d0b-7a3e-8f11-6b2c9d4e7a15";
    private const string Meta = """{"request_id": "0HNB2K7Q3V4LM:00000001", "timestamp": "2026-04-10T12:00:00.000Z"}""";

    protected override OpenApiInfo Info => new()
    {
        Title = "Mediary direct upload API",
        Version = "1",
        Description = "Large files in three steps: declare the file (POST /v1/media/upload), PUT its bytes to the short-lived " +
            "upload_url it answers (no API key), then POST /v1/media/{id}/complete; the media's ids go into POST /v1/posts. " +
            "Every body, errors included, is the envelope {data, error, meta}. Requests with a valid key carry X-RateLimit-Limit, " +
            "X-RateLimit-Remaining and X-RateLimit-Reset (Unix seconds) of the tightest window.",
    };

    protected override IEnumerable<OpenApiTag> Tags =>
    [
        new() { Name = "Media", Description = "Declaring, uploading, completing, listing and deleting media." },
        new() { Name = "Posts", Description = "Posts that carry ready media." },
        new() { Name = "Usage", Description = "The account's storage." },
        new() { Name = "Webhooks", Description = "Signed HTTP callbacks when media are processed, ready, failed or deleted." },
    ];

    protected override void AddComponents(OpenApiComponents components)
    {
        DirectSchemas.AddTo(components.Schemas!, Ref);
        AddWebhookSchemas(components.Schemas!);
        components.SecuritySchemes![Key] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API key from `mediary keys create --account NAME`, as Authorization: Bearer KEY.",
        };
    }

    protected override IReadOnlyDictionary<string, Func<OpenApiOperation>> Operations() => new Dictionary<string, Func<OpenApiOperation>>(WebhookOperations())
    {
        ["POST /v1/media/upload"] = () => Keyed("declareUpload", "Media", "Step 1: declare a file",
            "Declares the file and answers the short-lived URL to PUT its bytes to. Images up to 20 MB, videos 500 MB, PDFs 20 MB (configurable).",
            body: Json(Ref("UploadDeclaration"), """{"filename": "clip.mp4", "content_type": "video/mp4", "size": 1048576}"""),
            ok: ("200", "The upload ticket.", Ref("UploadTicket"), $$"""
                {"media_id": "{{MediaId}}", "media_ids": ["{{MediaId}}"], "status": "pending_upload",
                 "upload_url": "https://media.example/v1/uploads/{{MediaId}}?expires=1775826000&signature=9f2c5e0d8a7b6c4e3f1a2b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e",
                 "resumable_upload_url": "https://media.example/v1/uploads/{{MediaId}}/resumable?expires=1775826000&signature=9f2c5e0d8a7b6c4e3f1a2b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e",
                 "upload_method": {"method": "PUT", "content_type": "video/mp4", "headers": {"Content-Type": "video/mp4"} },
                 "provider": "local", "expires_in": 3600, "expires_at": "2026-04-10T13:00:00.000Z", "max_size": 524288000,
                 "next_step": "Upload your file to upload_url, then call POST /v1/media/{{MediaId}}/complete to finalize."}
                """),
            errors:
            [
                (DirectErrorCodes.ValidationError, "size 900000000 bytes is over the 524288000 byte limit for video files.", "size"),
                (DirectErrorCodes.QuotaExceeded, "Storage quota of 100 MB exceeded.", null),
                (DirectErrorCodes.PayloadTooLarge, "A JSON body may be at most 65536 bytes.", null),
                (DirectErrorCodes.UnsupportedMediaType, "Send the body as JSON, with Content-Type: application/json.", null),
            ]),

        ["PUT /v1/uploads/{id}"] = UploadBytes,
        ["OPTIONS /v1/uploads/{id}/resumable"] = ResumableDiscovery,
        ["HEAD /v1/uploads/{id}/resumable"] = () => TusStep("getResumableOffset", "200", "Step 2 with tus: where the upload stands",
            "tus HEAD on resumable_upload_url (no API key): the offset the next PATCH must start at, every byte before it durable. " +
            "The upload exists from step 1, with the declared size as its length; a request still sending to it is stopped first.",
            Empty("The upload's state.", TusHeaders()), null),
        ["PATCH /v1/uploads/{id}/resumable"] = () => TusStep("appendResumable", "204", "Step 2 with tus: send bytes",
            "tus PATCH on resumable_upload_url (no API key): the body is appended at Upload-Offset, made durable before the new " +
            "offset is answered; a lost connection keeps what arrived. Upload-Checksum (sha1 or sha256) is checked for the body. " +
            "Once the last declared byte is here the file is where a PUT would have left it: call complete.",
            Empty("The bytes are kept; Upload-Offset is the new offset.", TusHeaders()),
            new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [Mediary.Resumable.Tus.OffsetContentType] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
                },
            },
            (DirectErrorCodes.ValidationError, "Upload-Offset must be the offset the bytes start at.", "Upload-Offset"),
            (DirectErrorCodes.OffsetMismatch, "Upload-Offset is 0, but the upload is at 5242880: ask HEAD where to go on from.", null),
            (DirectErrorCodes.PayloadTooLarge, "The body is longer than the 1024 bytes left of the declared size.", null),
            (DirectErrorCodes.UnsupportedMediaType, "Content-Type must be application/offset+octet-stream for a tus PATCH.", null),
            (DirectErrorCodes.ChecksumMismatch, "The bytes are not the ones Upload-Checksum describes; none of them was kept.", null)),
        ["DELETE /v1/uploads/{id}/resumable"] = () => TusStep("cancelResumable", "204", "Step 2 with tus: drop the bytes sent",
            "tus termination: the bytes sent so far are dropped and the upload starts again from 0; the declaration stays (DELETE " +
            "/v1/media/{id} removes it).",
            Empty("Dropped.", new Dictionary<string, IOpenApiHeader> { ["Tus-Resumable"] = ResponseHeader(Text(), Mediary.Resumable.Tus.Version) }), null),

        ["POST /v1/media/{id}/complete"] = () => Keyed("completeUpload", "Media", "Step 3: complete an upload",
            "Verifies the stored bytes (present, length, checksum_sha256, sniffed type of the declared family) and processes them: " +
            "images and PDFs are ready at once, videos processing until their MP4 is made. Idempotent: again, it answers the current state.",
            parameters: [PathId("The media_id from step 1.", MediaId)],
            ok: ("200", "The media's state.", Ref("Media"), $$"""
                {"media_id": "{{MediaId}}", "media_ids": ["{{MediaId}}"], "status": "ready", "type": "image", "width": 1920,
                 "height": 1080, "duration": null, "size": 2048576, "content_type": "image/jpeg", "created_at": "2026-04-10T12:00:00.000Z",
                 "next_step": "Media is ready. Attach it to a post by passing \"media_ids\": [\"{{MediaId}}\"] to POST /v1/posts."}
                """),
            errors:
            [
                (DirectErrorCodes.UploadNotReady, "No bytes were uploaded yet: PUT the file to upload_url first.", null),
                (DirectErrorCodes.VerificationFailed, "The file is 1000 bytes; 2048576 were declared.", null),
                (DirectErrorCodes.QuotaExceeded, "Storage quota of 100 MB exceeded.", null),
                (DirectErrorCodes.NotFound, "Media not found.", null),
            ]),

        ["GET /v1/media"] = () => Keyed("listMedia", "Media", "List media",
            "The account's media uploaded through this face, newest first.",
            parameters:
            [
                Query("type", OneOf(DirectKinds.Image, DirectKinds.Video, DirectKinds.Document), "Only media of this type.", JsonValue.Create("image")),
                Query("status", OneOf(DirectStates.PendingUpload, DirectStates.Processing, DirectStates.Ready, DirectStates.Failed),
                    "Only media in this state.", JsonValue.Create("ready")),
                Query("limit", Integer(minimum: 1, maximum: 100), "At most this many (default 20).", JsonValue.Create(20)),
                Query("offset", Integer(minimum: 0), "Skip this many (default 0).", JsonValue.Create(0)),
            ],
            ok: ("200", "A page of media.", Ref("MediaList"), $$"""
                {"items": [{{DetailsExample}}], "total": 1, "limit": 20, "offset": 0}
                """),
            errors: [(DirectErrorCodes.ValidationError, "limit must be a whole number from 1 to 100.", "limit")]),

        ["GET /v1/media/{id}"] = () => Keyed("getMedia", "Media", "Get a media",
            "complete's fields plus filename, url (null until ready), thumbnail_url and page_count (PDFs).",
            parameters: [PathId("The media_id.", MediaId)],
            ok: ("200", "The media.", Ref("MediaDetails"), DetailsExample),
            errors: [(DirectErrorCodes.NotFound, "Media not found.", null)]),

        ["DELETE /v1/media/{id}"] = () => Keyed("deleteMedia", "Media", "Delete a media",
            "Removes the record and every file. Refused while a post uses the media.",
            parameters: [PathId("The media_id.", MediaId)],
            ok: ("200", "Deleted.", Ref("MediaDeleted"), $$"""{"media_id": "{{MediaId}}", "deleted": true}"""),
            errors:
            [
                (DirectErrorCodes.MediaInUse, "This media is attached to a post; delete the post first.", null),
                (DirectErrorCodes.NotFound, "Media not found.", null),
            ]),

        ["POST /v1/posts"] = () => Keyed("createPost", "Posts", "Create a post",
            "content and media_ids (ready media of the same account, each in one post at most, at most 10). " +
            "media, media_id, mediaId, attachments or url instead of media_ids: 400 invalid_field_name. " +
            "Besides the general limits, at most 20 a minute, 100 an hour and 500 a day per key.",
            body: Json(Ref("PostRequest"), $$"""{"content": "Hello", "media_ids": ["{{MediaId}}"]}"""),
            ok: ("201", "The post.", Ref("Post"), PostExample),
            errors:
            [
                (DirectErrorCodes.ValidationError, $"Media {MediaId} is already attached to another post.", "media_ids"),
                (DirectErrorCodes.InvalidFieldName, "Unknown field \"media\": did you mean media_ids? Pass \"media_ids\": [\"<media_id>\", ...].", "media"),
                (DirectErrorCodes.PayloadTooLarge, "A JSON body may be at most 65536 bytes.", null),
                (DirectErrorCodes.UnsupportedMediaType, "Send the body as JSON, with Content-Type: application/json.", null),
            ]),

        ["GET /v1/posts/{id}"] = () => Keyed("getPost", "Posts", "Get a post", "A post of the key's account.",
            parameters: [PathId("The post's id.", PostId)],
            ok: ("200", "The post.", Ref("Post"), PostExample),
            errors: [(DirectErrorCodes.NotFound, "Post not found.", null)]),

        ["DELETE /v1/posts/{id}"] = () => Keyed("deletePost", "Posts", "Delete a post", "Its media become deletable again.",
            parameters: [PathId("The post's id.", PostId)],
            ok: ("200", "Deleted.", Ref("PostDeleted"), $$"""{"id": "{{PostId}}", "deleted": true}"""),
            errors: [(DirectErrorCodes.NotFound, "Post not found.", null)]),

        ["GET /v1/usage"] = () => Keyed("getUsage", "Usage", "Storage usage",
            "The key's account's storage: what is stored, what is declared and not yet completed, and the quota.",
            ok: ("200", "The usage.", Ref("Usage"),
                """{"used_bytes": 48211, "reserved_bytes": 0, "limit_bytes": 104857600, "remaining_bytes": 104809389, "media_count": 2}"""),
            errors: []),
    };

    private const string DetailsExample = $$"""
        {"media_id": "{{MediaId}}", "media_ids": ["{{MediaId}}"], "status": "ready", "type": "image", "width": 1920, "height": 1080,
         "duration": null, "size": 2048576, "content_type": "image/jpeg", "created_at": "2026-04-10T12:00:00.000Z",
         "next_step": "Media is ready. Attach it to a post by passing \"media_ids\": [\"{{MediaId}}\"] to POST /v1/posts.",
         "filename": "photo.jpg", "url": "https://media.example/system/media_attachments/files/0a1b2c3d4e5f6a7b.jpg",
         "thumbnail_url": "https://media.example/system/media_attachments/files/0a1b2c3d4e5f6a7b_small.jpg", "page_count": null}
        """;

    private const string PostExample = $$"""
        {"id": "{{PostId}}", "content": "Hello", "media_ids": ["{{MediaId}}"], "created_at": "2026-04-10T12:05:00.000Z"}
        """;

    private OpenApiOperation UploadBytes() => new()
    {
        OperationId = "uploadBytes",
        Tags = Tag("Media"),
        Summary = "Step 2: upload the bytes",
        Description = "PUT the file to upload_url exactly as step 1 answered it, with the declared Content-Type and no API key: " +
            "the signature is the permission. The body streams to storage; repeated PUTs are accepted until complete succeeds " +
            "(the last full body wins). With S3 storage, upload_url is an S3 presigned URL instead and answers in S3's format.",
        Security = Anyone(),
        Parameters =
        [
            PathId("The media_id from step 1.", MediaId),
            Query("expires", Integer(), "The URL's expiry, Unix seconds.", JsonValue.Create(1775826000), required: true),
            Query("signature", Text(), "Lowercase hex HMAC-SHA256 over method, media id, content type, declared size and expiry.",
                JsonValue.Create("9f2c5e0d8a7b6c4e3f1a2b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e"), required: true),
        ],
        RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "The file's bytes, with the declared Content-Type.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/octet-stream"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
                ["*/*"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
            },
        },
        Responses = Responses(Empty("Stored; the body is empty, as S3 answers."), errors:
        [
            (DirectErrorCodes.Forbidden, "This upload URL is not valid: use upload_url exactly as POST /v1/media/upload returned it.", null),
            (DirectErrorCodes.NotFound, "Media not found.", null),
            (DirectErrorCodes.PayloadTooLarge, "The body is longer than the 1048576 bytes declared; nothing was kept.", null),
        ], keyed: false),
    };

    private OpenApiOperation Keyed(string id, string tag, string summary, string description,
        (string Status, string Description, IOpenApiSchema Data, string Example) ok,
        (string Code, string Message, string? Field)[] errors,
        List<IOpenApiParameter>? parameters = null, OpenApiRequestBody? body = null) => new()
        {
            OperationId = id,
            Tags = Tag(tag),
            Summary = summary,
            Description = description,
            Security = Security(Key),
            Parameters = parameters ?? [],
            RequestBody = body,
            Responses = Responses(new OpenApiResponse
            {
                Description = ok.Description,
                Headers = RateHeaders(),
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new()
                    {
                        Schema = Object(("data", ok.Data), ("error", Null()), ("meta", Ref("Meta"))),
                        Example = Example($$"""{"data": {{ok.Example}}, "error": null, "meta": {{Meta}}}"""),
                    },
                },
            }, errors, keyed: true, okStatus: ok.Status),
        };

    private static OpenApiRequestBody Json(IOpenApiSchema schema, string example) => new()
    {
        Required = true,
        Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = Content(schema, example) },
    };

    /// <summary>The success and one response per error status, each error code of that status as a named example.</summary>
    private OpenApiResponses Responses(OpenApiResponse ok, (string Code, string Message, string? Field)[] errors, bool keyed, string okStatus = "200")
    {
        List<(string Code, string Message, string? Field)> all = [.. errors];
        if (keyed)
        {
            all.Add((DirectErrorCodes.AuthenticationFailed, "An API key is required: send Authorization: Bearer <key>.", null));
            all.Add((DirectErrorCodes.RateLimitExceeded, "Rate limit exceeded: at most 60 requests in this window. Retry after 42 seconds.", null));
        }
        all.Add((DirectErrorCodes.InternalError, "Something went wrong on our side; try again, and report the request_id if it persists.", null));
        all.Add((DirectErrorCodes.ServiceUnavailable, "The database is unavailable right now; try again shortly.", null));

        var responses = new OpenApiResponses { [okStatus] = ok };
        foreach (var group in all.GroupBy(error => DirectErrorCodes.StatusFor(error.Code)).OrderBy(group => group.Key))
        {
            var examples = group.DistinctBy(error => error.Code).ToDictionary(error => error.Code, error => (IOpenApiExample)new OpenApiExample
            {
                Summary = error.Code,
                Value = ErrorExample(error.Code, error.Message, error.Field),
            });
            var headers = group.Key == StatusCodes.Status429TooManyRequests ? RateHeaders(retryAfter: true)
                : group.Key == StatusCodes.Status401Unauthorized
                    ? new Dictionary<string, IOpenApiHeader> { ["WWW-Authenticate"] = ResponseHeader(Text(), "Bearer") }
                    : null;
            responses[group.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponse
            {
                Description = string.Join(", ", group.Select(error => error.Code).Distinct()),
                Headers = headers,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = Ref("ErrorEnvelope"), Examples = examples },
                },
            };
        }
        return responses;
    }

    private static JsonNode ErrorExample(string code, string message, string? field)
    {
        var error = new JsonObject { ["message"] = message, ["code"] = code };
        if (field is not null) error["details"] = new JsonObject { ["field"] = field };
        return new JsonObject { ["data"] = null, ["error"] = error, ["meta"] = Example(Meta) };
    }

    private static Dictionary<string, IOpenApiHeader> RateHeaders(bool retryAfter = false)
    {
        var headers = new Dictionary<string, IOpenApiHeader>
        {
            ["X-Request-Id"] = ResponseHeader(Text(), "The request's id, as meta.request_id."),
            ["X-RateLimit-Limit"] = ResponseHeader(Integer(), "The tightest window's limit."),
            ["X-RateLimit-Remaining"] = ResponseHeader(Integer(), "Requests left in that window."),
            ["X-RateLimit-Reset"] = ResponseHeader(Integer(), "When that window frees a request, Unix seconds."),
        };
        if (retryAfter) headers["Retry-After"] = ResponseHeader(Integer(), "Seconds until a request is admitted again.");
        return headers;
    }
}
