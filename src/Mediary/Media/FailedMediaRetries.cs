using Mediary.Jobs;
using Mediary.Storage;

namespace Mediary.Media;

/// <summary>
/// Retrying a failed <c>media.process</c> job: the media goes back to processing (clients see 206
/// again, and its webhooks hear <c>media.processed</c> when the job succeeds), which needs its raw
/// upload, kept for <see cref="VacuumOptions.FailedSourceRetentionHours"/> after the failure.
/// Discarding the job leaves the media failed and lets the raw upload go at once.
/// </summary>
public sealed class FailedMediaRetries(MediaRepository repository, IMediaStorage storage, ILogger<FailedMediaRetries> logger) : IJobRetries
{
    public const string SourceGone = "The media's raw upload is no longer kept, so it cannot be processed again.";

    public string Kind => MediaJobProcessor.JobKind;

    public async Task PrepareAsync(string subject, CancellationToken cancellationToken)
    {
        var media = await repository.FindByIdAsync(long.Parse(subject), cancellationToken)
            ?? throw new JobRetryRefusedException("The job's media no longer exists.");
        if (media.SourceKey is not { } source || !await storage.ExistsAsync(source, cancellationToken)) throw new JobRetryRefusedException(SourceGone);
        await repository.ModifyAsync(media.Id, current =>
        {
            if (current.Processing != ProcessingStates.Failed) return;
            current.Processing = ProcessingStates.InProgress;
            current.Failure = null;
        }, cancellationToken);
    }

    public async Task DiscardedAsync(string subject, CancellationToken cancellationToken)
    {
        string? source = null;
        await repository.ModifyAsync(long.Parse(subject), current =>
        {
            if (current.Processing == ProcessingStates.Complete || current.SourceKey is null) return;
            // Back to failed too, should a retry have begun meanwhile: no job is left to finish it.
            current.Processing = ProcessingStates.Failed;
            current.Failure ??= MediaJobProcessor.FailureReason;
            source = current.SourceKey;
            current.SourceKey = null;
            current.SourceProbe = null;
        }, cancellationToken);
        // The row first, so nothing points at a file about to go.
        if (source is not null) await storage.DeleteAllAsync([source], logger);
    }
}
