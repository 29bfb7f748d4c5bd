namespace Mediary.Storage;

/// <summary>What callers build on <see cref="IMediaStorage"/>: a local file to read, a health probe, cleanup.</summary>
public static class MediaStorageExtensions
{
    /// <summary>
    /// The object under <paramref name="key"/> as a local file to read: the stored file itself where
    /// the storage is local files (read in place, never copied), else a copy fetched to <paramref name="scratchPath"/>.
    /// </summary>
    public static async Task<string> LocalFileAsync(this IMediaStorage storage, string key, string scratchPath,
        CancellationToken cancellationToken = default)
    {
        if (storage is ILocalMediaFiles local) return local.LocalPath(key);
        await storage.CopyToFileAsync(key, scratchPath, cancellationToken);
        return scratchPath;
    }

    /// <summary>Whether stored objects are local files that processing reads in place (never copied out).</summary>
    public static bool ReadsInPlace(this IMediaStorage storage) => storage is ILocalMediaFiles;

    /// <summary>
    /// The object under <paramref name="key"/> as a local file to read, and whether it is the stored
    /// file itself (not to be deleted by the reader) rather than a copy fetched to <paramref name="scratchPath"/>.
    /// </summary>
    public static async Task<(string Path, bool InPlace)> LocalFileInPlaceAsync(this IMediaStorage storage, string key, string scratchPath,
        CancellationToken cancellationToken = default)
    {
        var path = await storage.LocalFileAsync(key, scratchPath, cancellationToken);
        return (path, path != scratchPath);
    }

    /// <summary>The storage's own upload URLs for clients, when it has them (a bucket's presigned PUT).</summary>
    public static IPresignedUploads? PresignedUploads(this IMediaStorage storage) => storage as IPresignedUploads;

    /// <summary>
    /// Throws <see cref="StorageUnavailableException"/> unless the storage can be used: the media
    /// directory exists, or the bucket answers a listing. A listing, not a HEAD of some key: a HEAD
    /// answers a bare 404 for a missing bucket just as for a missing key, which would pass a bucket
    /// that does not exist as healthy.
    /// </summary>
    public static async Task ProbeAsync(this IMediaStorage storage, CancellationToken cancellationToken = default)
    {
        await foreach (var _ in storage.ListAsync(".health/", cancellationToken)) break;
    }

    /// <summary>
    /// Deletes the objects under <paramref name="keys"/> (nulls skipped) after their record is gone.
    /// A file that cannot be deleted is logged and left: the record, which is what clients see, is
    /// already removed, so failing the request over it would help nobody.
    /// </summary>
    public static async Task DeleteAllAsync(this IMediaStorage storage, IEnumerable<string?> keys, ILogger logger)
    {
        foreach (var key in keys.OfType<string>().Distinct())
        {
            try
            {
                await storage.DeleteAsync(key, CancellationToken.None);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning(e, "Could not delete stored file {Key}", key);
            }
        }
    }
}
