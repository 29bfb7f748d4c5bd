using Mediary.Configuration;
using Microsoft.Extensions.Options;

namespace Mediary.Storage;

/// <summary>Media files under <c>{data}/media</c>, served by the app at <c>/system/{key}</c>.</summary>
public sealed class LocalDiskStorage : IMediaStorage, ILocalMediaFiles
{
    public LocalDiskStorage(IOptions<MediaryOptions> options)
    {
        Root = Path.Combine(Path.GetFullPath(options.Value.DataDirectory), "media");
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(PublicRoot);
    }

    public string Root { get; }

    /// <summary>The part served to the public: processed files only, never raw uploads waiting in <c>pending/</c>.</summary>
    public string PublicRoot => Path.Combine(Root, "media_attachments");

    public Task PutFileAsync(string key, string localPath, string contentType, CancellationToken cancellationToken = default)
    {
        EnsureAvailable();
        var target = PathFor(key);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        // Move to a hidden name beside the target, then rename: the rename is atomic, and the move
        // is a rename too when the data directory is one file system (a copy otherwise).
        var partial = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.partial");
        try
        {
            File.Move(localPath, partial);
            File.Move(partial, target, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
        return Task.CompletedTask;
    }

    public string LocalPath(string key) => PathFor(key);

    public async Task<byte[]> ReadHeadAsync(string key, int length, CancellationToken cancellationToken = default)
    {
        EnsureAvailable();
        var head = new byte[length];
        await using var stream = new FileStream(PathFor(key), FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous);
        var read = await stream.ReadAtLeastAsync(head, length, throwOnEndOfStream: false, cancellationToken);
        return head[..read];
    }

    public async Task CopyToFileAsync(string key, string localPath, CancellationToken cancellationToken = default)
    {
        EnsureAvailable();
        await using var source = new FileStream(PathFor(key), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using var target = new FileStream(localPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        await source.CopyToAsync(target, cancellationToken);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        File.Delete(PathFor(key));
        return Task.CompletedTask;
    }

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default)
    {
        EnsureAvailable();
        return Task.FromResult(File.Exists(PathFor(key)));
    }

    public async IAsyncEnumerable<StoredObject> ListAsync(string prefix,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        EnsureAvailable();
        // The prefix names a directory (e.g. "pending/"), as every prefix Mediary lists does.
        var directory = Path.Combine(Root, prefix);
        if (!Directory.Exists(directory)) yield break;
        foreach (var path in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var file = new FileInfo(path);
            if (!file.Exists) continue; // deleted while listed
            yield return new StoredObject(Path.GetRelativePath(Root, path).Replace(Path.DirectorySeparatorChar, '/'), file.Length,
                new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero));
        }
        await Task.CompletedTask;
    }

    public Task<long?> LengthAsync(string key, CancellationToken cancellationToken = default)
    {
        EnsureAvailable();
        var file = new FileInfo(PathFor(key));
        return Task.FromResult(file.Exists ? file.Length : (long?)null);
    }

    /// <summary>
    /// The media directory itself gone (an unmounted disk, say) is an outage, not a missing file:
    /// nothing is written into a directory that a new mount would then hide.
    /// </summary>
    private void EnsureAvailable()
    {
        if (!Directory.Exists(Root)) throw new StorageUnavailableException($"the media directory {Root} is missing");
    }

    public string PathFor(string key)
    {
        var full = Path.GetFullPath(Path.Combine(Root, key));
        return full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? full
            : throw new ArgumentException("storage key escapes the media directory", nameof(key));
    }
}
