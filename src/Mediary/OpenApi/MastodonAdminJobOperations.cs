using System.Text.Json.Nodes;
using Mediary.Mastodon;
using Mediary.Media;
using Microsoft.OpenApi;
using static Mediary.OpenApi.MastodonExamples;
using static Mediary.OpenApi.Shapes;

namespace Mediary.OpenApi;

/// <summary>The admin API's job queue (<see cref="AdminJobEndpoints"/>).</summary>
internal sealed partial class MastodonApiDocument
{
    private const string JobId = "117726599436910593";

    private const string FailedJobExample = $$"""
        {"id": "{{JobId}}", "kind": "media.process", "subject": "{{ClipId}}", "media_id": "{{ClipId}}", "account_id": "{{AccountId}}",
         "state": "failed", "attempts": 3, "max_attempts": 3,
         "last_error": "ffmpeg exited with code 1: [mov,mp4,m4a,3gp,3g2,mj2 @ 0x55d0] moov atom not found",
         "run_after": null, "created_at": "2026-04-10T12:02:13.120Z", "updated_at": "2026-04-10T12:02:31.904Z"}
        """;

    private static void AddAdminJobSchemas(IDictionary<string, IOpenApiSchema> schemas)
    {
        schemas["AdminJob"] = Object(
            ("id", Text()),
            ("kind", Text("media.process (a video, audio or animated GIF), direct.complete, webhook.deliver.")),
            ("subject", Text("What the job works on: a media id for media.process.")),
            ("media_id", Text("The media, for media.process; else null.").OrNull()),
            ("account_id", Text("Whose work it is; null for a job without an owner.").OrNull()),
            ("state", OneOf([.. AdminJobEndpoints.States])),
            ("attempts", Integer("Attempts made (a run killed with its process counts).")),
            ("max_attempts", Integer("Jobs:MaxAttempts when it was queued (or retried).")),
            ("last_error", Text("The last failed attempt's error, or why the job was put back; null before any.").OrNull()),
            ("run_after", Text("While queued: when it may start (later after a failed attempt).", "date-time").OrNull()),
            ("created_at", Text(format: "date-time")),
            ("updated_at", Text("When it last changed state.", "date-time")));
    }

    private Dictionary<string, Func<OpenApiOperation>> AdminJobOperations()
    {
        var jobId = Id("The job's id.", JobId);
        const string notFailed = "Only a failed job can be retried; this one is running.";
        return new()
        {
            ["GET /api/v1/mediary/admin/jobs"] = () => Operation("listAdminJobs", "Admin", "List jobs",
                "The durable job queue, newest first: queued, running and failed jobs (finished ones are not listed), with their " +
                "attempts and last error, paged as Mastodon pages (a Link header with max_id while a page is full)." + AdminWho("admin:read"),
                Scopes("admin:read"),
                Answers([Json(StatusCodes.Status200OK, "A page of jobs.", ArrayOf(Ref("AdminJob")), $"[{FailedJobExample}]", NextLink("/jobs?state=failed&"))],
                    [.. AdminRefusals, Fail(422, $"Validation failed: State must be one of {string.Join(", ", AdminJobEndpoints.States)}")]),
                [
                    Query("state", OneOf([.. AdminJobEndpoints.States]), "Only jobs in this state (default: all three).", JsonValue.Create("failed")),
                    .. PageParameters("Jobs"),
                ]),

            ["POST /api/v1/mediary/admin/jobs/{id}/retry"] = () => Operation("retryAdminJob", "Admin", "Retry a failed job",
                "Queues a failed job again, ready at once, its attempts counted from 0 up to today's Jobs:MaxAttempts. Its media goes " +
                "back to processing (GET /api/v1/media/{id} answers 206 again, and 200 once done; webhooks hear media.processed). " +
                "A media keeps its raw upload for Vacuum:FailedSourceRetentionHours after it failed; after that it cannot be retried." +
                AdminWho("admin:write"),
                Scopes("admin:write"),
                Answers([Json(StatusCodes.Status200OK, "The job, queued again.", Ref("AdminJob"), FailedJobExample
                    .Replace("\"state\": \"failed\", \"attempts\": 3", "\"state\": \"queued\", \"attempts\": 0", StringComparison.Ordinal)
                    .Replace("\"run_after\": null", "\"run_after\": \"2026-04-10T12:20:00.000Z\"", StringComparison.Ordinal)
                    .Replace("2026-04-10T12:02:31.904Z", "2026-04-10T12:20:00.000Z", StringComparison.Ordinal))],
                    [
                        .. AdminRefusals,
                        NotFound,
                        Fail(422, notFailed),
                        Fail(422, FailedMediaRetries.SourceGone),
                        Fail(422, "The job's media no longer exists."),
                        Fail(422, "Jobs of kind webhook.deliver cannot be retried here."),
                    ]),
                [jobId]),

            ["POST /api/v1/mediary/admin/jobs/{id}/discard"] = () => Operation("discardAdminJob", "Admin", "Discard a failed job",
                "Removes a failed job; its media stays failed, and its raw upload, kept only for a retry, is removed." + AdminWho("admin:write"),
                Scopes("admin:write"),
                Answers([EmptyObject("Discarded: an empty object.")],
                    [.. AdminRefusals, NotFound, Fail(422, "Only a failed job can be discarded; this one is queued.")]),
                [jobId]),
        };
    }
}
