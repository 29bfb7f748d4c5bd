using System.Net;
using System.Net.Http.Headers;
using Dapper;
using Mediary.Tests.EndToEnd;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Jobs;

/// <summary>
/// Mediary scaled out as an operator would run it, every process as on a machine of its own: two
/// <c>serve --no-workers</c> API processes and two <c>worker</c> processes on one PostgreSQL
/// database and one bucket. One worker is killed with SIGKILL while it holds a job.
/// </summary>
public sealed class ClusterTests
{
    private static readonly string[] Images = ["600x400.jpg", "600x400.png", "600x400.webp", "photo-12mp-exif6.jpg", "600x400.heic"];

    [Fact]
    public async Task Two_api_processes_and_two_workers_process_fifty_mixed_uploads_once_even_when_a_worker_is_killed()
    {
        Assert.SkipUnless(TestDatabase.OnPostgres && TestBucket.InUse,
            "a cluster needs PostgreSQL and S3 storage (the suite's second run starts both)");
        // A short lease, so the killed worker's job is taken over within seconds.
        await using var first = ServerProcess.Create(environment: new Dictionary<string, string?> { ["Jobs__LeaseSeconds"] = "6" },
            serveArguments: ["--no-workers"]);
        await using var second = ServerProcess.Sibling(first, ["--no-workers"]);
        // Five accounts: Mastodon's upload limit (30 per 30 minutes each) holds across API processes.
        var tokens = new List<string>();
        for (var n = 0; n < 5; n++)
        {
            Assert.Equal(0, (await first.RunCliAsync("accounts", "create", $"cluster{n}")).ExitCode);
            tokens.Add((await first.RunCliAsync("tokens", "create", "--account", $"cluster{n}", "--scopes", "read write")).Stdout.Trim());
        }
        await Task.WhenAll(first.LaunchAsync(), second.LaunchAsync());
        var users = new[] { first, second }.Select(api => tokens.Select(token =>
        {
            var client = new HttpClient { BaseAddress = api.BaseUri, Timeout = TimeSpan.FromMinutes(3) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return new User(null!, token, client);
        }).ToArray()).ToArray();
        // Upload i goes through API process (i / 2) % 2; it is read back through the other one.
        User Through(int i, bool other = false) => users[(i / 2 + (other ? 1 : 0)) % 2][i % tokens.Count];

        // 25 images (answered at once) and 25 videos (jobs), half through each API process. One video
        // in five is 8 s of 720p, so that jobs last long enough for the kill to land in one.
        var files = Enumerable.Range(0, 50).Select(i => i % 2 == 0
            ? Fixtures.Path(Images[i / 2 % Images.Length])
            : i % 10 == 1 ? LongVideo.Path720p : Fixtures.Path("webm-with-audio.webm")).ToList();
        var uploads = await Task.WhenAll(files.Select((file, i) => Through(i).UploadAsync(file)));
        for (var i = 0; i < uploads.Length; i++)
        {
            Assert.True(uploads[i].Status == (i % 2 == 0 ? HttpStatusCode.OK : HttpStatusCode.Accepted), $"{files[i]}: {uploads[i]}");
        }

        // The workers start once every job is queued: an account's uploads are processed one at a
        // time per API process, so with workers running from the start the jobs could all be done
        // before the uploads are, and there would be no job to kill a worker in.
        await using var doomed = WorkerProcess.Start(first);
        await using var survivor = WorkerProcess.Start(first);
        await using var connection = await first.Database.OpenAsync();
        var interrupted = await doomed.KillHoldingJobsAsync(connection, TimeSpan.FromSeconds(90));

        // Every media is done, and each API process shows what the other took in.
        var done = new List<Answer>();
        for (var i = 0; i < uploads.Length; i++)
        {
            var answer = await Through(i, other: true).WaitUntilProcessedAsync(uploads[i].Id, TimeSpan.FromMinutes(4));
            Assert.True(answer.Status == HttpStatusCode.OK, $"{files[i]}: {answer}\n{survivor.Log}");
            done.Add(answer);
        }
        Assert.All(done.Where((_, i) => i % 2 == 1), video => Assert.EndsWith(".mp4", video.Url));

        // One job per video, each complete; the one the killed worker held ran twice, none more. A
        // job is marked complete just after its media reads as processed, once its worker cleaned up.
        await Polling.UntilAsync(async () => await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM media_jobs WHERE state IN ('queued', 'in_progress')") == 0, TimeSpan.FromSeconds(60));
        var jobs = (await connection.QueryAsync<(long MediaId, string State, long Attempts)>(
            "SELECT CAST(subject AS BIGINT), state, attempts FROM media_jobs")).ToList();
        Assert.Equal(uploads.Where((_, i) => i % 2 == 1).Select(u => long.Parse(u.Id)).Order(), jobs.Select(j => j.MediaId).Order());
        Assert.All(jobs, job => Assert.Equal("complete", job.State));
        Assert.All(jobs, job => Assert.InRange(job.Attempts, 1, 2));
        Assert.All(jobs.Where(job => interrupted.Contains(job.MediaId)), job => Assert.Equal(2, job.Attempts));

        // The bucket holds exactly each media's file and preview: no source left waiting, no
        // output of the interrupted attempt, nothing twice.
        var expected = done.SelectMany(media => new[] { media.Url, media.PreviewUrl })
            .Select(url => url[(first.Bucket!.PublicBaseUrl.Length + 1)..]).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(100, expected.Distinct().Count());
        Assert.Equal(expected, await first.StoredKeysAsync());
    }
}
