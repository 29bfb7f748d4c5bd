using Dapper;
using Mediary.Configuration;
using Mediary.Data;
using Mediary.RateLimits;
using Microsoft.Extensions.Options;

namespace Mediary.Tests.RateLimits;

/// <summary>The database-backed counter behind the upload throttle, on a clock the test moves.</summary>
public sealed class FixedWindowCounterTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "mediary-tests", Guid.NewGuid().ToString("N"));
    private readonly ManualClock _clock = new();
    private SqliteDatabase _database = null!;

    public async ValueTask InitializeAsync()
    {
        _database = new SqliteDatabase(Options.Create(new MediaryOptions { DataDirectory = _directory }));
        await _database.MigrateAsync();
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Windows_are_epoch_aligned_counted_per_key_and_old_ones_are_swept()
    {
        var counter = new FixedWindowCounter(_database, _clock);
        _clock.Now = DateTimeOffset.Parse("2026-01-01T12:29:59.1234567Z");
        Assert.Equal(new WindowHit(1, DateTimeOffset.Parse("2026-01-01T12:30:00.1234567Z")), await counter.IncrementAsync("a", 1800));
        Assert.Equal(2, (await counter.IncrementAsync("a", 1800)).Count);
        Assert.Equal(1, (await counter.IncrementAsync("b", 1800)).Count);

        // 12:30:00 starts a new window.
        _clock.Now = DateTimeOffset.Parse("2026-01-01T12:30:00Z");
        Assert.Equal(new WindowHit(1, DateTimeOffset.Parse("2026-01-01T13:00:00Z")), await counter.IncrementAsync("a", 1800));
        Assert.Equal(3, await RowsAsync()); // a and b of the previous window are kept

        // Two windows on, the first request of the window sweeps everything older than the previous one.
        _clock.Now = DateTimeOffset.Parse("2026-01-01T13:31:00Z");
        Assert.Equal(1, (await counter.IncrementAsync("c", 1800)).Count);
        Assert.Equal(1, await RowsAsync());
    }

    private async Task<long> RowsAsync()
    {
        await using var connection = await _database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM rate_limit_windows");
    }

    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }
        public override DateTimeOffset GetUtcNow() => Now;
    }
}
