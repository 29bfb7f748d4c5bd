using Mediary.Jobs;

namespace Mediary.Direct;

/// <summary>
/// Jobs of an earlier version, which completed a video or PDF in a bucket in a worker: after an
/// upgrade, those still queued finish through the same hand-over as <c>complete</c> itself. This
/// version queues none (the core's own job fetches and checks a video; a PDF is checked within <c>complete</c>).
/// </summary>
public sealed class DirectCompletionJobs(DirectMediaService media, ILogger<DirectCompletionJobs> logger) : IJobHandler
{
    public const string JobKind = "direct.complete";

    public string Kind => JobKind;

    public async Task RunAsync(string subject, CancellationToken cancellationToken)
    {
        if (await media.FindAsync(subject, cancellationToken) is not { State: DirectStates.Verifying } upload) return; // deleted meanwhile, or done
        try
        {
            await media.HandOverAsync(upload, cancellationToken);
        }
        catch (DirectApiException e) when (e.Code == DirectErrorCodes.VerificationFailed)
        {
            // Recorded on the upload, where the client reads it; nothing to retry.
            logger.LogInformation("Direct upload {Id} failed verification: {Reason}", subject, e.Message);
        }
        catch (DirectApiException e) when (e.Code == DirectErrorCodes.UploadNotReady)
        {
            await media.FailAsync(upload, "The uploaded file disappeared before it could be verified.");
        }
    }

    public async Task GiveUpAsync(string subject, string reason, CancellationToken cancellationToken)
    {
        if (await media.FindAsync(subject, cancellationToken) is { State: DirectStates.Verifying } upload)
        {
            await media.FailAsync(upload, "The file could not be processed.");
        }
    }
}
