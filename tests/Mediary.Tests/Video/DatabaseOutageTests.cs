using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using Mediary.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Mediary.Tests.Video;

/// <summary>
/// A server whose PostgreSQL connections run through a <see cref="CuttableProxy"/>, with a 3 s job
/// lease, so a job whose end could not be recorded is taken back within seconds, and one worker
/// loop, so a loop that an outage stopped would leave nobody to take it.
/// </summary>
public sealed class DatabaseOutageApp : MediaryApp
{
    public DatabaseOutageApp() : base(new() { ["Jobs:LeaseSeconds"] = "3", ["Jobs:Concurrency"] = "1" })
    {
        if (Database.PostgresConnectionString is not { } direct) return;
        var target = new NpgsqlConnectionStringBuilder(direct);
        Line = new CuttableProxy(target.Host!, target.Port);
        target.Host = "127.0.0.1";
        target.Port = Line.Port;
        ThroughLine = target.ConnectionString;
    }

    /// <summary>The line between the server and its database; null on SQLite.</summary>
    public CuttableProxy? Line { get; }

    private string? ThroughLine { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (ThroughLine is not null) builder.UseSetting("Database:ConnectionString", ThroughLine);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Line is not null) await Line.DisposeAsync();
    }
}

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
        var accepted = await user.UploadAsync(LongVideo.Path720p);
        Assert.Equal(HttpStatusCode.Accepted, accepted.Status);
        Assert.True(await Polling.UntilAsync(async () => await MediaProcessingAsync(accepted.Id) == "in_progress", TimeSpan.FromSeconds(30)),
            "the job never started transcoding");

        // The database goes away mid-transcode and stays away until the transcode is over (its
        // output in the temporary directory came and went) and a moment after: the worker can
        // neither renew its lease nor record the result.
        app.Line!.Cut();
        try
        {
            Assert.True(await Polling.UntilAsync(() => Task.FromResult(app.TemporaryFiles("*.mp4").Length > 0), TimeSpan.FromSeconds(30)),
                "no transcode output appeared");
            Assert.True(await Polling.UntilAsync(() => Task.FromResult(app.TemporaryFiles("*.mp4").Length == 0), TimeSpan.FromSeconds(90)),
                "the transcode output stayed");
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        finally
        {
            app.Line.Mend();
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

    /// <summary>The media's own processing state, which the job sets before it fetches and transcodes.</summary>
    private async Task<string> MediaProcessingAsync(string mediaId)
    {
        await using var connection = await app.Database.OpenAsync();
        return await connection.QuerySingleAsync<string>("SELECT processing FROM media_attachments WHERE id = @id", new { id = long.Parse(mediaId) });
    }

    private async Task<(string State, long Attempts)> JobAsync(string mediaId)
    {
        await using var connection = await app.Database.OpenAsync();
        return await connection.QuerySingleAsync<(string, long)>(
            "SELECT state, attempts FROM media_jobs WHERE media_id = @id", new { id = long.Parse(mediaId) });
    }
}
