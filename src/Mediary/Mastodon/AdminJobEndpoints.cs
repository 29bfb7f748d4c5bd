using System.Globalization;
using Mediary.Jobs;
using Mediary.Media;
using Mediary.Web;

namespace Mediary.Mastodon;

/// <summary>
/// The admin API's job queue: jobs queued, running or failed (with their attempts and last error),
/// and a failed job retried (queued again, its attempts reset; a media goes back to processing) or
/// discarded (its media stays failed). No part of Mastodon's admin scopes names jobs, so reading
/// needs <c>admin:read</c> and changing <c>admin:write</c>.
/// </summary>
public static class AdminJobEndpoints
{
    public static readonly string[] States = ["queued", "running", "failed"];

    public static RouteGroupBuilder MapAdminJobs(this RouteGroupBuilder admin)
    {
        admin.Needing("admin:read").MapGet("/jobs", async (HttpContext http, JobQueueAdmin jobs, MediaUrls urls, CancellationToken ct) =>
        {
            var asked = http.Request.Query["state"].ToString();
            string[] states;
            if (asked.Length == 0) states = [.. States.Select(state => JobQueueAdmin.StoredState(state)!)];
            else if (JobQueueAdmin.StoredState(asked) is { } stored) states = [stored];
            else return AdminEndpoints.Invalid($"Validation failed: State must be one of {string.Join(", ", States)}");
            var (limit, maxId) = AdminEndpoints.Page(http.Request);
            var page = await jobs.ListAsync(states, limit, maxId, ct);
            if (page.Count == limit) AdminEndpoints.LinkNext(http, urls, "/jobs", limit, page[^1].Id, asked.Length == 0 ? null : $"state={asked}");
            return AdminEndpoints.Json(page.Select(Json));
        });

        var write = admin.Needing("admin:write");
        write.MapPost("/jobs/{id}/retry", (string id, JobQueueAdmin jobs, CancellationToken ct) =>
            ChangeAsync(id, jobs.RetryAsync, job => AdminEndpoints.Json(Json(job)), ct));
        write.MapPost("/jobs/{id}/discard", (string id, JobQueueAdmin jobs, CancellationToken ct) =>
            ChangeAsync(id, jobs.DiscardAsync, _ => AdminEndpoints.Empty(), ct));
        return admin;
    }

    private static async Task<IResult> ChangeAsync(string id, Func<long, CancellationToken, Task<JobRecord?>> change, Func<JobRecord, IResult> answer,
        CancellationToken ct)
    {
        if (!AdminEndpoints.TryId(id, out var jobId)) throw MediaException.NotFound();
        try
        {
            return await change(jobId, ct) is { } job ? answer(job) : throw MediaException.NotFound();
        }
        catch (JobRetryRefusedException refused)
        {
            return AdminEndpoints.Invalid(refused.Message);
        }
    }

    public static Dictionary<string, object?> Json(JobRecord job) => new()
    {
        ["id"] = job.Id.ToString(CultureInfo.InvariantCulture),
        ["kind"] = job.Kind,
        ["subject"] = job.Subject,
        ["media_id"] = job.Kind == MediaJobProcessor.JobKind ? job.Subject : null,
        ["account_id"] = job.Owner,
        ["state"] = JobQueueAdmin.ApiState(job.State),
        ["attempts"] = job.Attempts,
        ["max_attempts"] = job.MaxAttempts,
        ["last_error"] = job.LastError,
        ["run_after"] = job.State == JobStates.Queued ? AdminEndpoints.Time(job.RunAfter) : null,
        ["created_at"] = AdminEndpoints.Time(job.CreatedAt),
        ["updated_at"] = AdminEndpoints.Time(job.UpdatedAt),
    };
}
