namespace Mediary.Direct;

/// <summary>
/// The direct face's side of <see cref="Media.IMediaEvents"/>: a <c>complete</c> that settled its
/// upload at once (an image or PDF ready, or a verification failed), and the deletion of an upload
/// that was completed or failed. Same contract: cheap, never throws.
/// </summary>
public interface IDirectMediaEvents
{
    /// <summary>The upload is ready or failed, as <paramref name="media"/> shows it now.</summary>
    Task SettledAsync(DirectMediaView media);

    /// <summary>The upload, as it was, is deleted with its core media.</summary>
    Task DeletedAsync(DirectMediaView media);
}
