using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using Mediary.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Mediary.Tests.Jobs;

/// <summary>
/// The database going away (a PostgreSQL restart, a network cut) is an outage like the storage's:
/// 503s with a clear message on both faces while it lasts, no worker stops, no job is lost, and the
/// server recovers by itself when the database is back. Needs the suite's PostgreSQL run: the
/// embedded SQLite is a file in the server's own process.
/// </summary>
public sealed class DatabaseOutageTests(DatabaseOutageApp app) : IClassFixture<DatabaseOutageApp>
{
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(30);

    private void NeedPostgres() => Assert.SkipWhen(app.Line is null, "needs the suite's PostgreSQL run (MEDIARY_TEST_POSTGRES)");

    [Fact]
    public async Task While_the_database_is_away_both_faces_answer_503_and_the_server_recovers_by_itself()
    {
        NeedPostgres();
        var user = await app.NewUserAsync();
        var direct = await app.NewDirectUserAsync();
        var before = await user.UploadAsync(Fixtures.Path("600x400.jpg"));
        Assert.Equal(HttpStatusCode.OK, before.Status);

        app.Line!.Cut();
        try
        {
            using var client = app.CreateClient();
            var ready = await Readiness.ReadAsync(client);
            Assert.Equal((HttpStatusCode.ServiceUnavailable, "unavailable", "ok"), (ready.Status, ready.Overall, ready.Storage));
            Assert.NotEqual("ok", ready.Database);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
            // A metrics collector reading meanwhile gets no queue depth, not an exception.
            Assert.Null(QueueDepthGauge());

            (await user.UploadAsync(Fixtures.Path("600x400.png"))).AssertError(HttpStatusCode.ServiceUnavailable,
                "There was a temporary problem serving your request, please try again");
            (await user.GetMediaAsync(before.Id)).AssertError(HttpStatusCode.ServiceUnavailable,
                "There was a temporary problem serving your request, please try again");
            var declared = await DirectAnswer.FromAsync(await direct.Client.PostAsJsonAsync("/v1/media/upload",
                new { filename = "a.jpg", content_type = "image/jpeg", size = 1000 }), keyed: false);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, declared.Status);
            // The key could not be checked, so there is no window to report: no rate-limit headers rather than guesses.
            Assert.Null(declared.Header("X-RateLimit-Remaining"));
            Assert.Equal("service_unavailable", declared.ErrorCode);
            Assert.Equal("The database is unavailable right now; try again shortly.", declared.ErrorMessage);

            // The workers keep trying to claim jobs meanwhile; the outage must not stop them.
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        finally
        {
            app.Line.Mend();
        }

        var upload = await UntilAnsweredAsync(() => user.UploadAsync(Fixtures.Path("webm-with-audio.webm")));
        Assert.Equal(HttpStatusCode.Accepted, upload.Status);
        var processed = await UntilAnsweredAsync(() => user.GetMediaAsync(upload.Id), processed: true);
        Assert.Equal(HttpStatusCode.OK, processed.Status);
        Assert.Equal(HttpStatusCode.OK, (await user.GetMediaAsync(before.Id)).Status);
        Assert.Equal(0, QueueDepthGauge());
    }

    /// <summary>The <c>mediary.jobs.queued</c> gauge of this server, read as a collector reads it; null when it gives no measurement.</summary>
    private long? QueueDepthGauge()
    {
        var meters = app.Services.GetRequiredService<IMeterFactory>();
        long? depth = null;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == meters && instrument.Name == "mediary.jobs.queued") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => depth = value);
        listener.Start();
        listener.RecordObservableInstruments();
        return depth;
    }

    [Fact]
    public async Task A_job_that_ends_while_the_database_is_away_is_taken_back_and_finished_once()
    {
        NeedPostgres();
        var user = await app.NewUserAsync();
        // The database goes away at the moment the worker records the finished transcode, and stays
        // away until the worker has given up on it: it can neither record the result nor renew its
        // lease. That moment is held back in the database, so the test waits for it instead of
        // racing the transcode, on a slow machine as on a fast one.
        Answer accepted;
        var hold = await HeldCompletion.StartAsync(app.Database);
        try
        {
            accepted = await user.UploadAsync(LongVideo.Path720p);
            Assert.Equal(HttpStatusCode.Accepted, accepted.Status);
            Assert.True(await hold.UntilWorkerWaitsAsync(TimeSpan.FromSeconds(120)), "the worker never came to record the transcode");
            app.Line!.Cut();
            await hold.DisposeAsync();
            Assert.True(await Polling.UntilAsync(() => Task.FromResult(app.TemporaryFiles("*.mp4").Length == 0), TimeSpan.FromSeconds(30)),
                "the transcode output stayed");
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        finally
        {
            await hold.DisposeAsync();
            app.Line!.Mend();
        }

        var processed = await UntilAnsweredAsync(() => user.GetMediaAsync(accepted.Id), processed: true, TimeSpan.FromSeconds(120));
        Assert.Equal(HttpStatusCode.OK, processed.Status);
        Assert.EndsWith(".mp4", processed.Json.GetProperty("url").GetString());
        Assert.True(await Polling.UntilAsync(async () => (await JobAsync(accepted.Id)).State == "complete", TimeSpan.FromSeconds(30)));
        // Taken back once: the interrupted run counts as an attempt, as a crashed worker's does.
        Assert.Equal(2, (await JobAsync(accepted.Id)).Attempts);
        Assert.True(await Polling.UntilAsync(async () => (await app.StoredKeysAsync("pending/")).Count == 0, TimeSpan.FromSeconds(30)),
            "the source left pending/");
        // One MP4 for the media, however many times its job ran.
        var key = app.KeyOf(processed.Json.GetProperty("url").GetString()!);
        var mediaFolder = key[..key.IndexOf("/original/", StringComparison.Ordinal)];
        Assert.Single(await app.StoredKeysAsync(mediaFolder), stored => stored.EndsWith(".mp4"));
    }

    /// <summary>
    /// Repeats a call, as a client retrying after an outage, until its answer is neither a 503 nor
    /// (when <paramref name="processed"/>) a 206 of media still processing.
    /// </summary>
    private static async Task<Answer> UntilAnsweredAsync(Func<Task<Answer>> call, bool processed = false, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Recovery);
        while (true)
        {
            var answer = await call();
            if (answer.Status != HttpStatusCode.ServiceUnavailable && !(processed && answer.Status == HttpStatusCode.PartialContent)) return answer;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"still not answered: {answer}");
            await Task.Delay(200);
        }
    }

    private async Task<(string State, long Attempts)> JobAsync(string mediaId)
    {
        await using var connection = await app.Database.OpenAsync();
        return await connection.QuerySingleAsync<(string, long)>(
            "SELECT state, attempts FROM media_jobs WHERE subject = @id", new { id = mediaId });
    }
}
