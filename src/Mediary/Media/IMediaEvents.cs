namespace Mediary.Media;

/// <summary>
/// What happened to a media, told to whoever listens (webhooks) without the core knowing who.
/// The core tells when a Mastodon-face upload is processed at once, when a background job ends
/// (processed or failed, for either face), and when a Mastodon-face media is deleted (by its owner
/// or the vacuum); the direct face tells its own completions and deletions
/// (<see cref="Direct.IDirectMediaEvents"/>), since its record is written after the core's.
/// Implementations are cheap (a few rows written, no network), never throw and never delay the
/// caller beyond that: a listener's failure is logged, not the upload's.
/// </summary>
public interface IMediaEvents
{
    /// <summary>Processing ended: <paramref name="media"/> is complete or failed, as it is now.</summary>
    Task ProcessingEndedAsync(MediaAttachment media);

    /// <summary><paramref name="media"/>, as it was, is deleted with its files.</summary>
    Task DeletedAsync(MediaAttachment media);
}

/// <summary>No one listens: the default until a listener is registered.</summary>
public sealed class NoMediaEvents : IMediaEvents, Direct.IDirectMediaEvents
{
    public Task ProcessingEndedAsync(MediaAttachment media) => Task.CompletedTask;
    public Task DeletedAsync(MediaAttachment media) => Task.CompletedTask;
    public Task SettledAsync(Direct.DirectMediaView media) => Task.CompletedTask;
    public Task DeletedAsync(Direct.DirectMediaView media) => Task.CompletedTask;
}
