using Dapper;
using Mediary.Data;
using Microsoft.Extensions.Options;

namespace Mediary.Direct;

/// <summary>The outcome of one keyed request, reported in the <c>X-RateLimit-*</c> headers of its tightest window.</summary>
public sealed record RateDecision(bool Allowed, int Limit, int Remaining, long ResetUnixSeconds, int RetryAfterSeconds);

/// <summary>
/// Per-key rolling windows (a minute, an hour, a day), kept as a log of request times in the
/// database so that every API process shares them. A request is let through and logged only if
/// no window is full; a full window frees a slot exactly when its oldest request turns one window old.
/// </summary>
public sealed class DirectRateLimiter(IDatabase database, IOptions<DirectOptions> options, TimeProvider clock)
{
    private const string AllScope = "all";
    private const string PostsScope = "posts";
    public static readonly TimeSpan LongestWindow = TimeSpan.FromDays(1);

    private sealed record Window(string Scope, int Limit, TimeSpan Length);

    private sealed record WindowState(Window Window, int Count, long OldestMs);

    private IEnumerable<Window> WindowsFor(bool isPost)
    {
        var o = options.Value;
        Window[] all =
        [
            new(AllScope, o.RequestsPerMinute, TimeSpan.FromMinutes(1)),
            new(AllScope, o.RequestsPerHour, TimeSpan.FromHours(1)),
            new(AllScope, o.RequestsPerDay, LongestWindow),
        ];
        Window[] posts =
        [
            new(PostsScope, o.PostsPerMinute, TimeSpan.FromMinutes(1)),
            new(PostsScope, o.PostsPerHour, TimeSpan.FromHours(1)),
            new(PostsScope, o.PostsPerDay, LongestWindow),
        ];
        return (isPost ? all.Concat(posts) : all).Where(w => w.Limit > 0);
    }

    /// <summary>Counts one request of <paramref name="tokenId"/> if every window has room.</summary>
    public async Task<RateDecision?> HitAsync(long tokenId, bool isPost, CancellationToken cancellationToken)
    {
        var windows = WindowsFor(isPost).ToList();
        if (windows.Count == 0) return null;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();

        await using var connection = await database.OpenAsync(cancellationToken);
        // One request of a key at a time, in every process: two requests cannot both take the last slot.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await database.LockAsync(connection, transaction, tokenId, cancellationToken);
        var states = new List<WindowState>();
        foreach (var window in windows)
        {
            var row = await connection.QuerySingleAsync<(long Count, long? Oldest)>(new CommandDefinition(
                "SELECT COUNT(*), MIN(at_ms) FROM direct_rate_events WHERE token_id = @tokenId AND scope = @scope AND at_ms > @since",
                new { tokenId, scope = window.Scope, since = now - (long)window.Length.TotalMilliseconds }, transaction,
                cancellationToken: cancellationToken));
            states.Add(new WindowState(window, (int)row.Count, row.Oldest ?? now));
        }

        var full = states.Where(s => s.Count >= s.Window.Limit).ToList();
        if (full.Count > 0)
        {
            // Waiting for the window that frees a slot last.
            long freeAt = 0;
            foreach (var state in full)
            {
                var since = now - (long)state.Window.Length.TotalMilliseconds;
                var leaving = await connection.QuerySingleAsync<long>(new CommandDefinition("""
                    SELECT at_ms FROM direct_rate_events WHERE token_id = @tokenId AND scope = @scope AND at_ms > @since
                     ORDER BY at_ms LIMIT 1 OFFSET @offset
                    """, new { tokenId, scope = state.Window.Scope, since, offset = state.Count - state.Window.Limit }, transaction,
                    cancellationToken: cancellationToken));
                freeAt = Math.Max(freeAt, leaving + (long)state.Window.Length.TotalMilliseconds);
            }
            var tightest = full.OrderByDescending(s => s.Window.Length).First();
            var retryAfter = (int)Math.Max(1, Math.Ceiling((freeAt - now) / 1000.0));
            return new RateDecision(false, tightest.Window.Limit, 0, (freeAt + 999) / 1000, retryAfter);
        }

        foreach (var scope in windows.Select(w => w.Scope).Distinct())
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO direct_rate_events (token_id, scope, at_ms) VALUES (@tokenId, @scope, @now)",
                new { tokenId, scope, now }, transaction, cancellationToken: cancellationToken));
        }
        await transaction.CommitAsync(cancellationToken);

        // The tightest window: fewest requests left, the shorter one on a tie.
        var report = states.OrderBy(s => s.Window.Limit - s.Count - 1).ThenBy(s => s.Window.Length).First();
        var oldest = report.Count == 0 ? now : report.OldestMs;
        var resetMs = oldest + (long)report.Window.Length.TotalMilliseconds;
        return new RateDecision(true, report.Window.Limit, report.Window.Limit - report.Count - 1, (resetMs + 999) / 1000, 0);
    }

    /// <summary>Drops log entries older than the longest window.</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        var before = clock.GetUtcNow().ToUnixTimeMilliseconds() - (long)LongestWindow.TotalMilliseconds;
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM direct_rate_events WHERE at_ms <= @before", new { before }, cancellationToken: cancellationToken));
    }
}
