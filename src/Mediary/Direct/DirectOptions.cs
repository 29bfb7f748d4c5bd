using System.ComponentModel.DataAnnotations;

namespace Mediary.Direct;

/// <summary>Section <c>Direct</c>: the direct upload API's limits, upload URLs and rate limits.</summary>
public sealed class DirectOptions
{
    public const string Section = "Direct";

    /// <summary>Largest image, in bytes (20 MB).</summary>
    [Range(1, long.MaxValue)] public long ImageSizeLimit { get; set; } = 20 * 1024 * 1024;

    /// <summary>Largest video, in bytes (500 MB).</summary>
    [Range(1, long.MaxValue)] public long VideoSizeLimit { get; set; } = 500 * 1024 * 1024;

    /// <summary>Largest PDF, in bytes (20 MB). How PDFs are checked: <see cref="Configuration.DocumentOptions"/>, in this section too.</summary>
    [Range(1, long.MaxValue)] public long DocumentSizeLimit { get; set; } = 20 * 1024 * 1024;

    /// <summary>The largest file of any kind: what a tus client is told at discovery.</summary>
    public long LargestFileSize => Math.Max(ImageSizeLimit, Math.Max(VideoSizeLimit, DocumentSizeLimit));

    /// <summary>How long an upload URL stays valid, in seconds; an upload not completed by then is removed.</summary>
    [Range(1, 7 * 24 * 3600)] public int UploadUrlTtlSeconds { get; set; } = 3600;

    /// <summary>How often expired uploads and old rate-limit entries are swept, in seconds; 0 turns the sweep off.</summary>
    [Range(0, 24 * 3600)] public int CleanupIntervalSeconds { get; set; } = 60;

    /// <summary>Requests per API key per rolling minute, hour and day; 0 turns a window off.</summary>
    [Range(0, int.MaxValue)] public int RequestsPerMinute { get; set; } = 60;
    [Range(0, int.MaxValue)] public int RequestsPerHour { get; set; } = 1_000;
    [Range(0, int.MaxValue)] public int RequestsPerDay { get; set; } = 10_000;

    /// <summary><c>POST /v1/posts</c> per API key per rolling minute, hour and day (on top of the above).</summary>
    [Range(0, int.MaxValue)] public int PostsPerMinute { get; set; } = 20;
    [Range(0, int.MaxValue)] public int PostsPerHour { get; set; } = 100;
    [Range(0, int.MaxValue)] public int PostsPerDay { get; set; } = 500;

    /// <summary>Longest post <c>content</c>, in characters.</summary>
    [Range(1, 1_000_000)] public int PostMaxCharacters { get; set; } = 10_000;

    /// <summary>Most media in one post.</summary>
    [Range(1, 100)] public int PostMaxMedia { get; set; } = 10;

    public TimeSpan UploadUrlTtl => TimeSpan.FromSeconds(UploadUrlTtlSeconds);
}
