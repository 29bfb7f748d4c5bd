using System.ComponentModel.DataAnnotations;

namespace Mediary.Media;

/// <summary>Section <c>Vacuum</c>: removal of media uploaded but never attached to a status.</summary>
public sealed class VacuumOptions
{
    public const string Section = "Vacuum";

    /// <summary>Unattached media older than this many hours are removed (Mastodon: 1 day).</summary>
    [Range(1, 87_600)] public int UnattachedMediaTtlHours { get; set; } = 24;

    /// <summary>
    /// Hours a media whose processing failed keeps its raw upload, so that an operator can retry
    /// its job (the admin API); then the vacuum removes it, and the media stays failed. 0: removed at
    /// the next run. A Mastodon-face media is removed whole once unattached for <see cref="UnattachedMediaTtlHours"/> anyway.
    /// </summary>
    [Range(0, 87_600)] public int FailedSourceRetentionHours { get; set; } = 24;

    /// <summary>Minutes between runs of the server's vacuum, fractions allowed; 0 turns them off (e.g. to run the CLI's from cron).</summary>
    [Range(0, 10_080)] public double IntervalMinutes { get; set; } = 60;

    public TimeSpan UnattachedMediaTtl => TimeSpan.FromHours(UnattachedMediaTtlHours);
    public TimeSpan FailedSourceRetention => TimeSpan.FromHours(FailedSourceRetentionHours);
    public TimeSpan Interval => TimeSpan.FromMinutes(IntervalMinutes);
}
