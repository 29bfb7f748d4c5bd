using Dapper;
using Mediary.Data;

namespace Mediary.RateLimits;

/// <summary>A request counted in its window: the count so far, this one included, and when the window resets.</summary>
/// <param name="Reset">The window's end carrying the current sub-second fraction, as Rack::Attack reports it.</param>
public readonly record struct WindowHit(long Count, DateTimeOffset Reset);

/// <summary>
/// Fixed-window counters kept in the database, so that every API process sharing it sees one
/// count. Windows are aligned to the epoch as in Rack::Attack: window = floor(unix seconds / period).
/// </summary>
public sealed class FixedWindowCounter(IDatabase database, TimeProvider time)
{
    public async Task<WindowHit> IncrementAsync(string key, int periodSeconds, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var seconds = now.ToUnixTimeSeconds();
        var window = seconds / periodSeconds;
        var windowStart = window * periodSeconds;
        await using var connection = await database.OpenAsync(cancellationToken);
        // One atomic statement: concurrent requests, from any process, each get a distinct count.
        var count = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO rate_limit_windows (key, window_index, count, expires_at) VALUES (@key, @window, 1, @expiresAt)
            ON CONFLICT (key, window_index) DO UPDATE SET count = rate_limit_windows.count + 1
            RETURNING count
            """,
            new { key, window, expiresAt = windowStart + periodSeconds }, cancellationToken: cancellationToken));
        // The first request of a key's window sweeps windows older than the previous one (kept for
        // clocks slightly behind); an index range scan that finds only dead rows.
        if (count == 1)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM rate_limit_windows WHERE expires_at < @windowStart", new { windowStart }, cancellationToken: cancellationToken));
        }
        // Rack::Attack: now + (period - now.to_i % period).
        return new WindowHit(count, now.AddSeconds(periodSeconds - seconds % periodSeconds));
    }

    /// <summary>The count of the current window so far, without counting anything, and when the window resets.</summary>
    public async Task<WindowHit> PeekAsync(string key, int periodSeconds, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var seconds = now.ToUnixTimeSeconds();
        await using var connection = await database.OpenAsync(cancellationToken);
        var count = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT count FROM rate_limit_windows WHERE key = @key AND window_index = @window",
            new { key, window = seconds / periodSeconds }, cancellationToken: cancellationToken));
        return new WindowHit(count ?? 0, now.AddSeconds(periodSeconds - seconds % periodSeconds));
    }
}
