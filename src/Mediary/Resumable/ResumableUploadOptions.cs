using System.ComponentModel.DataAnnotations;

namespace Mediary.Resumable;

/// <summary>Resumable uploads (tus and the IETF draft), on both faces.</summary>
public sealed class ResumableUploadOptions
{
    public const string Section = "ResumableUploads";

    /// <summary>Uploads one account may have open (created, not yet finished) at once; the next creation is 429.</summary>
    [Range(1, 100_000)] public int MaxOpenPerAccount { get; set; } = 10;

    /// <summary>How long an upload may stay unfinished, from its creation, before it and its bytes are removed.</summary>
    [Range(60, 30 * 86_400)] public int ExpirySeconds { get; set; } = 86_400;

    /// <summary>
    /// While a request streams bytes in, they are made durable (fsync, or a part in the bucket) and
    /// their offset recorded every this many bytes, so a crash mid-request keeps what came before.
    /// </summary>
    [Range(1024 * 1024, long.MaxValue)] public long CheckpointBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>How often the sweep removes expired uploads, in seconds.</summary>
    [Range(1, 86_400)] public int CleanupIntervalSeconds { get; set; } = 300;

    public TimeSpan Expiry => TimeSpan.FromSeconds(ExpirySeconds);
}
