namespace Mediary.Storage;

/// <summary>
/// The media storage cannot be reached at all (a vanished or unmounted media directory, an object
/// store that does not answer): an outage, answered with 503, as opposed to one missing file.
/// </summary>
public sealed class StorageUnavailableException(string message, Exception? inner = null) : IOException(message, inner);
