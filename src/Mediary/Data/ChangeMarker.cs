using System.Diagnostics;

namespace Mediary.Data;

/// <summary>
/// A file in the data directory that one process rewrites to tell the others sharing the directory
/// (the server and CLI commands) that something they may remember changed: a token revoked, media
/// deleted. Looking costs one stat, done at most once a millisecond, so a change made elsewhere is
/// seen within a millisecond of its write and a hot path does not pay a system call per request.
/// </summary>
public sealed class ChangeMarker(string path)
{
    private static readonly long Interval = Stopwatch.Frequency / 1000;
    private long _stamp = -1;
    private long _lookedAt = -Interval;

    /// <summary>Whether the marker was rewritten since the last look (true on the first look).</summary>
    public bool Changed()
    {
        var now = Stopwatch.GetTimestamp();
        if (now - Volatile.Read(ref _lookedAt) < Interval) return false;
        Volatile.Write(ref _lookedAt, now);
        // A missing file reads as 1601-01-01: one stat either way.
        var stamp = File.GetLastWriteTimeUtc(path).Ticks;
        return Interlocked.Exchange(ref _stamp, stamp) != stamp;
    }

    /// <summary>Rewrites the marker; two touches within the file system's timestamp granularity still differ.</summary>
    public async Task TouchAsync(string note)
    {
        await File.WriteAllTextAsync(path, $"{note}\n");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddTicks(Random.Shared.Next(1, 10_000)));
    }
}
