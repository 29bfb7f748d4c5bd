namespace Mediary.Jobs;

/// <summary>
/// The jobs of the direct upload face: verifying and processing an upload that <c>complete</c>
/// left to a worker (a video or PDF in a bucket, fetched here rather than within the request).
/// </summary>
public interface IDirectUploadJobs
{
    /// <summary>Verifies and processes the upload; a verification failure is an outcome, not an error.</summary>
    Task ProcessAsync(string directId, CancellationToken cancellationToken);

    /// <summary>Marks the upload failed once its job is out of attempts.</summary>
    Task FailAsync(string directId, CancellationToken cancellationToken);
}
