using Mediary.Configuration;
using Mediary.Data;
using Mediary.Jobs;
using Microsoft.Extensions.Options;

namespace Mediary.Tests.Jobs;

/// <summary>
/// The queue takes accounts in turn: one account's backlog never holds every worker while
/// another account's job waits, and no account has more than Jobs:PerAccountConcurrency jobs in
/// progress (on a real SQLite file).
/// </summary>
public sealed class JobQueueFairnessTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mediary-queue").FullName;
    private SqliteDatabase _database = null!;

    public async ValueTask InitializeAsync()
    {
        _database = new SqliteDatabase(Options.Create(new MediaryOptions { DataDirectory = _directory }));
        await _database.MigrateAsync();
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }

    private SqlJobQueue Queue(int perAccount) =>
        new(_database, new JobSignal(), Options.Create(new JobOptions { PerAccountConcurrency = perAccount }));

    private static async Task EnqueueAsync(SqlJobQueue queue, string owner, params string[] subjects)
    {
        await using var work = await queue.BeginAsync();
        foreach (var subject in subjects) await work.EnqueueAsync("test.kind", subject, owner);
        await work.CommitAsync();
    }

    private static async Task<string?> ClaimAsync(SqlJobQueue queue) => (await queue.ClaimAsync("worker", TimeSpan.FromMinutes(1)))?.Subject;

    [Fact]
    public async Task Another_accounts_job_goes_before_the_rest_of_a_backlog()
    {
        var queue = Queue(perAccount: 1);
        await EnqueueAsync(queue, "1", "a1", "a2", "a3");
        await EnqueueAsync(queue, "2", "b1");

        Assert.Equal("a1", await ClaimAsync(queue));
        Assert.Equal("b1", await ClaimAsync(queue));
        // Both accounts are at their bound: the backlog waits.
        Assert.Null(await ClaimAsync(queue));
    }

    [Fact]
    public async Task An_account_gets_its_next_job_once_one_of_its_own_is_done()
    {
        var queue = Queue(perAccount: 1);
        await EnqueueAsync(queue, "1", "a1", "a2");
        var first = await queue.ClaimAsync("worker", TimeSpan.FromMinutes(1));
        Assert.Equal("a1", first?.Subject);
        Assert.Null(await ClaimAsync(queue));

        await queue.CompleteAsync(first!);

        Assert.Equal("a2", await ClaimAsync(queue));
    }

    [Fact]
    public async Task With_a_higher_bound_the_account_with_fewer_jobs_running_goes_first()
    {
        var queue = Queue(perAccount: 2);
        await EnqueueAsync(queue, "1", "a1", "a2", "a3");
        await EnqueueAsync(queue, "2", "b1", "b2");

        // a1 (1 has none running), b1 (2 has none), a2 (both have one; a2 is older), b2, then 1 and 2 are at 2.
        var claimed = new List<string?>();
        for (var i = 0; i < 5; i++) claimed.Add(await ClaimAsync(queue));
        Assert.Equal(new string?[] { "a1", "b1", "a2", "b2", null }, claimed);
    }
}
