using System.ComponentModel.DataAnnotations;

namespace Mediary.Jobs;

/// <summary>Section <c>Jobs</c>: background processing of video, audio and animated GIFs.</summary>
public sealed class JobOptions
{
    public const string Section = "Jobs";

    /// <summary>Jobs processed at once by this process's workers.</summary>
    [Range(1, 64)] public int Concurrency { get; set; } = 2;

    /// <summary>Attempts before a job (and its media) fails; a run killed with the process counts as one.</summary>
    [Range(1, 20)] public int MaxAttempts { get; set; } = 3;

    /// <summary>
    /// How long a claimed job stays leased to its worker without news, in seconds. A working worker
    /// renews the lease every third of it; a job whose worker died is taken over once it runs out.
    /// </summary>
    [Range(3, 86_400)] public int LeaseSeconds { get; set; } = 60;

    /// <summary>Longest one ffmpeg or ffprobe run may take, in seconds.</summary>
    [Range(1, 86_400)] public int FfmpegTimeoutSeconds { get; set; } = 600;

    /// <summary>
    /// ffmpeg processes running at once in this process, in each of its two lanes: the short steps
    /// (probes, first frames, cover art) and the transcodes, so a short step never waits behind a
    /// long transcode.
    /// </summary>
    [Range(1, 64)] public int FfmpegConcurrency { get; set; } = 2;

    /// <summary>Longest a run waits for a free ffmpeg slot, in seconds; then an upload answers 503 and a job is put back.</summary>
    [Range(1, 86_400)] public int FfmpegSlotWaitSeconds { get; set; } = 30;

    /// <summary>
    /// Jobs of one account processed at once (by this process's workers, or by all workers on
    /// SQLite); the queue also takes accounts in turn, so one account's many files never hold
    /// every worker while another account's file waits.
    /// </summary>
    [Range(1, 64)] public int PerAccountConcurrency { get; set; } = 1;

    /// <summary>How long <c>POST /api/v1/media</c> waits for a video to finish processing, in seconds.</summary>
    [Range(1, 86_400)] public int SynchronousWaitSeconds { get; set; } = 600;
}
