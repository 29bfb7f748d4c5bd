using System.Text.Json.Nodes;
using Mediary.Mastodon;
using Microsoft.OpenApi;
using static Mediary.OpenApi.MastodonExamples;
using static Mediary.OpenApi.Shapes;

namespace Mediary.OpenApi;

/// <summary>The account's media listed (<see cref="ListingEndpoints"/>): its statuses, and its media not attached yet.</summary>
internal sealed partial class MastodonApiDocument
{
    private const string ListingPagingRules =
        " Paged as Mastodon pages: limit (default 20; a negative one counts as positive, more than 40 as 40), max_id (only older " +
        "than it), since_id (only newer than it, newest first) and min_id (only newer than it, the oldest ones first in time but " +
        "answered newest first; since_id is then ignored). The Link header carries rel=\"next\" (max_id of the last) when the page " +
        "is full and rel=\"prev\" (min_id of the first) unless it is empty, each with the request's other parameters.";

    private static List<IOpenApiParameter> ListingPagingParameters(string olderId, string newerId) =>
    [
        Query("limit", Integer(), "At most this many (default 20, at most 40).", JsonValue.Create(20)),
        Query("max_id", Text(), "Only those with a smaller id: the next (older) page.", JsonValue.Create(olderId)),
        Query("since_id", Text(), "Only those with a greater id, the newest of them.", JsonValue.Create(newerId)),
        Query("min_id", Text(), "Only those with a greater id, the oldest of them: the previous (newer) page.", JsonValue.Create(newerId)),
    ];

    /// <summary>The Link header of a full page of <paramref name="limit"/> (the example's length), from its first to its last id.</summary>
    private static Dictionary<string, IOpenApiHeader> ListingLinkHeader(string path, int limit, string lastId, string firstId) => new()
    {
        ["Link"] = ResponseHeader(Text(),
            $"<{Site}{path}?limit={limit}&max_id={lastId}>; rel=\"next\", <{Site}{path}?limit={limit}&min_id={firstId}>; rel=\"prev\""),
    };

    private Dictionary<string, Func<OpenApiOperation>> ListingOperations() => new()
    {
        ["GET /api/v1/accounts/{id}/statuses"] = () => Operation("listAccountStatuses", "Accounts", "Statuses of an account",
            "The account's statuses, newest first, with their media: all of them to their author, public and unlisted ones to anyone " +
            "else. only_media=true keeps those with media. Mediary has no pins, hashtags, replies or reblogs: pinned=true and a " +
            "tagged value answer [], exclude_replies and exclude_reblogs change nothing. Boolean parameters as Rails reads them: " +
            "0, f, false, off (and F, FALSE, OFF) or empty are false, anything else true. Unlike Mastodon, a user's token is needed." +
            ListingPagingRules,
            Scopes("read", "read:statuses"),
            Answers([Json(StatusCodes.Status200OK, "A page of statuses.", ArrayOf(Ref("Status")), $"[{MastodonExamples.Status}]",
                ListingLinkHeader($"/api/v1/accounts/{AccountId}/statuses", 1, StatusId, StatusId))], [.. TokenFailures(), NotFound]),
            [
                Id("The account's id.", AccountId),
                Query("only_media", Boolean(), "Only statuses with media attachments.", JsonValue.Create(true)),
                Query("pinned", Boolean(), "Only pinned statuses: none on Mediary.", JsonValue.Create(false)),
                Query("exclude_replies", Boolean(), "Accepted; Mediary has no replies.", JsonValue.Create(false)),
                Query("exclude_reblogs", Boolean(), "Accepted; Mediary has no reblogs.", JsonValue.Create(false)),
                Query("tagged", Text(), "Only statuses with this hashtag: none on Mediary, which has no hashtags.", JsonValue.Create("photography")),
                .. ListingPagingParameters(StatusId, StatusId),
            ]),

        ["GET /api/v1/mediary/media"] = () => Operation("listUnattachedMedia", "Media", "Media not attached yet",
            "Mediary's own (Mastodon has no listing of media): the account's media that no status attaches, newest first, each as " +
            "GET /api/v1/media/{id} shows it, processing and failed ones too (url null). state: processing (queued or being " +
            "processed; GET /api/v1/media/{id} answers 206), ready (processed; 200) or failed (failed for good; 422). Media leave " +
            "the list when a status attaches them and come back when it drops them. Scope read, or write or write:media, which " +
            "already show each of them through GET /api/v1/media/{id}." + ListingPagingRules,
            Scopes("read", "write", "write:media"),
            Answers([Json(StatusCodes.Status200OK, "A page of media.", ArrayOf(Ref("MediaAttachment")), $"[{ClipProcessing}, {Image}]",
                ListingLinkHeader("/api/v1/mediary/media", 2, ImageId, ClipId))],
            [
                .. TokenFailures(),
                Fail(StatusCodes.Status422UnprocessableEntity, "Validation failed: Type is not included in the list"),
                Fail(StatusCodes.Status422UnprocessableEntity, "Validation failed: State is not included in the list"),
            ]),
            [
                Query("type", OneOf("image", "video", "gifv", "audio"), "Only media of this type.", JsonValue.Create("image")),
                Query("state", OneOf("processing", "ready", "failed"), "Only media in this state.", JsonValue.Create("ready")),
                .. ListingPagingParameters(ImageId, ClipId),
            ]),
    };
}
