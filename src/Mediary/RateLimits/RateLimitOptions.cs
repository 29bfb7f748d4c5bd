using System.ComponentModel.DataAnnotations;

namespace Mediary.RateLimits;

/// <summary>Section <c>RateLimits</c>: Mastodon's upload throttle (<c>throttle_api_media</c>).</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Uploads (failed ones included) one account may make per window; 0 turns the throttle off.</summary>
    [Range(0, int.MaxValue)] public int MediaUploadLimit { get; set; } = 30;

    /// <summary>Length of a window in seconds; windows are fixed and aligned to the Unix epoch.</summary>
    [Range(1, 604_800)] public int MediaUploadPeriodSeconds { get; set; } = 1800;
}
