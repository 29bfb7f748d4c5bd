using System.Buffers;
using System.IO.Pipelines;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace Mediary.Resumable;

/// <summary>How one request's bytes went: the durable offset it reached, and why it stopped before its body ended.</summary>
public sealed record AppendOutcome(long Offset, string? BackendState, AppendStop Stop);

public enum AppendStop
{
    /// <summary>The whole body was taken.</summary>
    BodyEnded,

    /// <summary>The client went away, or another request took the upload over: what came is kept up to the durable offset.</summary>
    Interrupted,

    /// <summary>The body ran past the upload's length: nothing of it is kept.</summary>
    TooLong,

    /// <summary>Another process took the upload over, so this request may record nothing more.</summary>
    Superseded,
}

/// <summary>
/// Where the bytes of resumable uploads wait until the last one arrives: one file per upload on
/// local disk, or a multipart upload in the bucket, so any API process can take the next request.
/// Only offsets that are durable are ever reported.
/// </summary>
public interface IResumableBytes
{
    /// <summary>
    /// Prepares an empty upload; returns what this backend must keep of it (or null).
    /// <paramref name="storageKey"/>: where in media storage the whole file will go
    /// (<see cref="MoveToStorageAsync"/>), when that is known from the start (a direct upload).
    /// </summary>
    Task<string?> CreateAsync(string uploadId, string? storageKey, CancellationToken cancellationToken);

    /// <summary>
    /// Appends <paramref name="body"/> at the upload's durable offset, at most <paramref name="maxBytes"/>
    /// bytes. With <paramref name="hash"/> (a checksum to verify) the bytes are hashed and kept only
    /// if the caller then commits them, so nothing is recorded on the way; without it, every
    /// checkpoint's offset is recorded through <paramref name="record"/>, which answers false once
    /// the upload was taken over elsewhere.
    /// </summary>
    Task<AppendOutcome> AppendAsync(ResumableUpload upload, PipeReader body, long maxBytes, IncrementalHash? hash,
        Func<long, string?, CancellationToken, Task<bool>> record, CancellationToken stop);

    /// <summary>Up to the first <paramref name="length"/> durable bytes.</summary>
    Task<byte[]> ReadHeadAsync(ResumableUpload upload, int length, CancellationToken cancellationToken);

    /// <summary>The whole upload as a local file the caller owns (and deletes).</summary>
    Task<string> ToLocalFileAsync(ResumableUpload upload, CancellationToken cancellationToken);

    /// <summary>Moves the whole upload into media storage under <paramref name="key"/> (the direct face's declared upload).</summary>
    Task MoveToStorageAsync(ResumableUpload upload, string key, string contentType, CancellationToken cancellationToken);

    /// <summary>Removes whatever is kept of the upload; nothing kept is not an error.</summary>
    Task DeleteAsync(ResumableUpload upload, CancellationToken cancellationToken);
}

/// <summary>What both backends do with each chunk of a request's body on its way to a local file.</summary>
internal static class ResumableChunks
{
    /// <summary>
    /// Writes <paramref name="chunk"/> at <paramref name="offset"/> of <paramref name="file"/> in one
    /// gathered write, hashing it on the way when a checksum is to be verified; <paramref name="segments"/>
    /// is the caller's list, reused from chunk to chunk.
    /// </summary>
    public static void Write(SafeFileHandle file, ReadOnlySequence<byte> chunk, long offset, List<ReadOnlyMemory<byte>> segments,
        IncrementalHash? hash)
    {
        segments.Clear();
        foreach (var segment in chunk)
        {
            segments.Add(segment);
            hash?.AppendData(segment.Span);
        }
        RandomAccess.Write(file, segments, offset);
    }
}
