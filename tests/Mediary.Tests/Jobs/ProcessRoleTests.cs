using System.Net;
using System.Net.Http.Headers;
using Dapper;
using Mediary.Tests.EndToEnd;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Jobs;

/// <summary>
/// <c>serve --no-workers</c> and <c>worker</c> as separate processes on one PostgreSQL database:
/// the API queues, the workers process, and a worker killed mid-job has its job taken over.
/// </summary>
public sealed class ProcessRoleTests
{
    [Fact]
    public async Task Separate_roles_are_refused_on_the_embedded_default_with_the_reason()
    {
        Assert.SkipWhen(TestDatabase.OnPostgres, "checks the SQLite refusal");
        await using var server = ServerProcess.Create();
        var worker = await server.RunCliAsync("worker");
        Assert.NotEqual(0, worker.ExitCode);
        Assert.Contains("Database:Provider=PostgreSQL", worker.Stderr);
    }

    [Fact]
    public async Task An_api_process_queues_workers_process_and_a_killed_workers_job_is_taken_over()
    {
        Assert.SkipUnless(TestDatabase.OnPostgres, "separate API and worker processes need PostgreSQL (the suite's second run)");
        await using var api = ServerProcess.Create(environment: new Dictionary<string, string?> { ["Jobs__LeaseSeconds"] = "6" },
            serveArguments: ["--no-workers"]);
        Assert.Equal(0, (await api.RunCliAsync("accounts", "create", "roles")).ExitCode);
        var token = (await api.RunCliAsync("tokens", "create", "--account", "roles", "--scopes", "read write")).Stdout.Trim();
        await api.LaunchAsync();
        using var client = new HttpClient { BaseAddress = api.BaseUri, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var user = new User(null!, token, client);

        var first = await user.UploadAsync(LongVideo.Path720p);
        var second = await user.UploadAsync(Fixtures.Path("webm-with-audio.webm"));
        Assert.Equal(HttpStatusCode.Accepted, first.Status);
        Assert.Equal(HttpStatusCode.Accepted, second.Status);
        await Task.Delay(1500);
        Assert.Equal("queued", await JobStateAsync(api, first.Id));
        Assert.Equal(HttpStatusCode.PartialContent, (await user.GetMediaAsync(second.Id)).Status);

        await using var doomed = WorkerProcess.Start(api);
        await using var connection = await api.Database.OpenAsync();
        var interrupted = await doomed.KillHoldingJobsAsync(connection, TimeSpan.FromSeconds(60));

        await using var survivor = WorkerProcess.Start(api);
        Assert.Equal(HttpStatusCode.OK, (await user.WaitUntilProcessedAsync(first.Id, TimeSpan.FromMinutes(2))).Status);
        Assert.Equal(HttpStatusCode.OK, (await user.WaitUntilProcessedAsync(second.Id, TimeSpan.FromMinutes(2))).Status);
        var jobs = (await connection.QueryAsync<(long MediaId, long Attempts)>("SELECT CAST(subject AS BIGINT), attempts FROM media_jobs")).ToList();
        Assert.Equal(2, jobs.Count);
        // The jobs the killed worker held ran twice; nothing ran more than that.
        Assert.All(jobs, job => Assert.InRange(job.Attempts, 1, 2));
        Assert.All(jobs.Where(job => interrupted.Contains(job.MediaId)), job => Assert.Equal(2, job.Attempts));
    }

    private static async Task<string> JobStateAsync(ServerProcess server, string mediaId)
    {
        await using var connection = await server.Database.OpenAsync();
        return await connection.QuerySingleAsync<string>("SELECT state FROM media_jobs WHERE subject = @id", new { id = mediaId });
    }
}
