namespace Mediary.Storage;

/// <summary>
/// Where processed media files live, addressed by a key such as
/// <c>media_attachments/files/110/123/.../original/0123abcd4567ef89.jpeg</c>.
/// Local disk is the embedded default; object storage slots in behind the same interface.
/// </summary>
public interface IMediaStorage
{
    /// <summary>
    /// Stores a finished local file under <paramref name="key"/>; readers never see a partial file.
    /// The local file is handed over: it may be moved, so the caller must not use it afterwards.
    /// </summary>
    Task PutFileAsync(string key, string localPath, string contentType, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to the first <paramref name="length"/> bytes of the object (a ranged GET on a bucket),
    /// to sniff its type without fetching it; fewer when it is shorter.
    /// </summary>
    Task<byte[]> ReadHeadAsync(string key, int length, CancellationToken cancellationToken = default);

    /// <summary>Copies a stored object to a local file (for processing).</summary>
    Task CopyToFileAsync(string key, string localPath, CancellationToken cancellationToken = default);

    /// <summary>Removes the object; a missing key is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Whether the object exists (for tests and checks).</summary>
    Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>The object's length in bytes without reading it (a HEAD request on a bucket); null when there is none.</summary>
    Task<long?> LengthAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Every object whose key starts with <paramref name="prefix"/>, in no particular order (for the orphan sweep).</summary>
    IAsyncEnumerable<StoredObject> ListAsync(string prefix, CancellationToken cancellationToken = default);
}

/// <summary>An object as listed: its key, length in bytes and when it was last written.</summary>
public sealed record StoredObject(string Key, long Length, DateTimeOffset LastModified);

/// <summary>
/// Optional capability of a storage whose objects are plain local files: processing can read them
/// in place instead of copying them out first.
/// </summary>
public interface ILocalMediaFiles
{
    /// <summary>The media directory.</summary>
    string Root { get; }

    /// <summary>The part served to the public: processed files only, never raw uploads waiting for processing.</summary>
    string PublicRoot { get; }

    /// <summary>The file behind <paramref name="key"/>, to read only.</summary>
    string LocalPath(string key);
}
