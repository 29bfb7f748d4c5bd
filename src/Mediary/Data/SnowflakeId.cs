using System.Security.Cryptography;

namespace Mediary.Data;

/// <summary>
/// Mastodon-style ids: milliseconds since the Unix epoch in the high 48 bits, a sequence in the
/// low 16, so ids sort by creation time and serialise as decimal strings.
/// </summary>
public static class SnowflakeId
{
    private static long _last;
    private static int _sequence = RandomNumberGenerator.GetInt32(0, 1 << 16);
    private static readonly Lock Gate = new();

    public static long Next()
    {
        lock (Gate)
        {
            var millis = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            _sequence = (_sequence + 1) & 0xFFFF;
            var id = (millis << 16) | (uint)_sequence;
            // Never go backwards, even if the clock does or 65,536 ids are asked within one millisecond.
            _last = id > _last ? id : _last + 1;
            return _last;
        }
    }
}
