using System.Text.Json.Nodes;
using Mediary.Mastodon;
using Mediary.Media;
using Microsoft.OpenApi;
using static Mediary.OpenApi.MastodonExamples;
using static Mediary.OpenApi.Shapes;

namespace Mediary.OpenApi;

/// <summary>The instance endpoints (<see cref="InstanceEndpoints"/>), with the configured limits; no token needed.</summary>
internal sealed partial class MastodonApiDocument
{
    private static void AddInstanceSchemas(IDictionary<string, IOpenApiSchema> schemas)
    {
        var statuses = Object(
            ("max_characters", Integer("Statuses:MaxCharacters.")),
            ("max_media_attachments", Integer()),
            ("characters_reserved_per_url", Integer()));
        var polls = Object(
            ("max_options", Integer()),
            ("max_characters_per_option", Integer()),
            ("min_expiration", Integer()),
            ("max_expiration", Integer()));
        var mimeTypes = ArrayOf(Text(), "The types uploads may be; the bytes decide, not the declared type.");
        var imageSize = Integer("Bytes (Media:ImageSizeLimit).");
        var imageMatrix = Integer("Pixels.");
        var videoSize = Integer("Bytes, also for audio and animated GIFs (Media:VideoSizeLimit).");
        var videoRate = Integer("Frames per second.");
        var videoMatrix = Integer("Pixels.");

        schemas["Instance"] = Object(
            ("domain", Text("The request's host.")),
            ("title", Text()),
            ("version", Text("The Mastodon release whose API is served, a plain semantic version.")),
            ("source_url", Text(format: "uri")),
            ("description", Text()),
            ("usage", Object(("users", Object(("active_month", Integer()))))),
            ("thumbnail", Object(("url", Null()))),
            ("icon", MastodonSchemas.Empty()),
            ("languages", ArrayOf(Text())),
            ("configuration", Object(
                ("urls", Object(("streaming", Null().Described("No streaming API.")))),
                ("accounts", Object(("max_featured_tags", Integer()), ("max_pinned_statuses", Integer()))),
                ("statuses", statuses),
                ("media_attachments", Object(
                    ("description_limit", Integer("Characters.")),
                    ("image_matrix_limit", imageMatrix),
                    ("image_size_limit", imageSize),
                    ("supported_mime_types", mimeTypes),
                    ("video_frame_rate_limit", videoRate),
                    ("video_matrix_limit", videoMatrix),
                    ("video_size_limit", videoSize))),
                ("polls", polls),
                ("translation", Object(("enabled", Boolean()))))),
            ("registrations", Object(
                ("enabled", Boolean("Registrations:Open: POST /api/v1/accounts signs people up.")),
                ("approval_required", Boolean()),
                ("message", Null()),
                ("url", Null()))),
            ("api_versions", Object(("mastodon", Integer("Mastodon's API version of that release.")))),
            ("contact", Object(("email", Text()), ("account", Null()))),
            ("rules", MastodonSchemas.Empty()));

        schemas["V1Instance"] = Object(
            ("uri", Text("The request's host.")),
            ("title", Text()),
            ("short_description", Text()),
            ("description", Text()),
            ("email", Text()),
            ("version", Text()),
            ("urls", Object(("streaming_api", Null()))),
            ("stats", Object(("user_count", Integer()), ("status_count", Integer()), ("domain_count", Integer()))),
            ("thumbnail", Null()),
            ("languages", ArrayOf(Text())),
            ("registrations", Boolean()),
            ("approval_required", Boolean()),
            ("invites_enabled", Boolean()),
            ("configuration", Object(
                ("accounts", Object(("max_featured_tags", Integer()))),
                ("statuses", statuses),
                ("media_attachments", Object(
                    ("supported_mime_types", mimeTypes),
                    ("image_size_limit", imageSize),
                    ("image_matrix_limit", imageMatrix),
                    ("video_size_limit", videoSize),
                    ("video_frame_rate_limit", videoRate),
                    ("video_matrix_limit", videoMatrix))),
                ("polls", polls))),
            ("contact_account", Null()),
            ("rules", MastodonSchemas.Empty()));
    }

    private Dictionary<string, Func<OpenApiOperation>> InstanceOperations()
    {
        var types = new JsonArray([.. SupportedMediaTypes.MimeTypes.Select(type => JsonValue.Create(type))]).ToJsonString();
        const string Description = "A self-hosted media attachment service speaking Mastodon's media API.";
        const string Statuses = """{"max_characters": 500, "max_media_attachments": 4, "characters_reserved_per_url": 23}""";
        const string Polls = """{"max_options": 4, "max_characters_per_option": 50, "min_expiration": 300, "max_expiration": 2629746}""";
        return new()
        {
            ["GET /api/v2/instance"] = () => Operation("getInstance", "Instance", "The server",
                "Mastodon's v2 instance, carrying the limits uploads and statuses are checked against (in v2's alphabetical order).",
                Anyone(),
                Answers([Json(StatusCodes.Status200OK, "The server.", Ref("Instance"), $$"""
                    {"domain": "mediary.example", "title": "Mediary", "version": "{{InstanceEndpoints.Version}}", "source_url": "{{Site}}/",
                     "description": "{{Description}}", "usage": {"users": {"active_month": 0} }, "thumbnail": {"url": null}, "icon": [],
                     "languages": ["en"],
                     "configuration": {"urls": {"streaming": null}, "accounts": {"max_featured_tags": 10, "max_pinned_statuses": 5},
                       "statuses": {{Statuses}},
                       "media_attachments": {"description_limit": 10000, "image_matrix_limit": 33177600, "image_size_limit": 16777216,
                         "supported_mime_types": {{types}}, "video_frame_rate_limit": 120, "video_matrix_limit": 8294400, "video_size_limit": 103809024},
                       "polls": {{Polls}}, "translation": {"enabled": false} },
                     "registrations": {"enabled": false, "approval_required": false, "message": null, "url": null},
                     "api_versions": {"mastodon": 6}, "contact": {"email": "", "account": null}, "rules": []}
                    """), MalformedRequest], [], usesDatabase: false)),

            ["GET /api/v1/instance"] = () => Operation("getInstanceV1", "Instance", "The server (v1)",
                "Mastodon's deprecated v1 instance: the same limits, without description_limit, in v1's order.",
                Anyone(),
                Answers([Json(StatusCodes.Status200OK, "The server.", Ref("V1Instance"), $$"""
                    {"uri": "mediary.example", "title": "Mediary", "short_description": "", "description": "{{Description}}", "email": "",
                     "version": "{{InstanceEndpoints.Version}}", "urls": {"streaming_api": null},
                     "stats": {"user_count": 0, "status_count": 0, "domain_count": 0}, "thumbnail": null, "languages": ["en"],
                     "registrations": false, "approval_required": false, "invites_enabled": false,
                     "configuration": {"accounts": {"max_featured_tags": 10}, "statuses": {{Statuses}},
                       "media_attachments": {"supported_mime_types": {{types}}, "image_size_limit": 16777216, "image_matrix_limit": 33177600,
                         "video_size_limit": 103809024, "video_frame_rate_limit": 120, "video_matrix_limit": 8294400},
                       "polls": {{Polls}} },
                     "contact_account": null, "rules": []}
                    """), MalformedRequest], [], usesDatabase: false)),
        };
    }
}
