using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Mediary.Media;
using Mediary.Storage;
using Microsoft.Extensions.Options;

namespace Mediary.Resumable;

/// <summary>
/// Resumable uploads in the bucket, so that any API process can take the next request: the bytes
/// go to an S3 multipart upload in parts of <see cref="S3Options.PartSize"/> (at least S3's 5 MiB),
/// with the parts' ETags in the upload's row; what is shorter than a part when a request ends is
/// kept as an object of its own (the tail) and becomes the start of the next part. An offset is
/// recorded only once its bytes are in the bucket. A request's bytes wait on local disk only until
/// they are a part or a tail, never in memory.
/// </summary>
public sealed class S3ResumableBytes(S3MediaStorage bucket, TempFiles temp, IOptions<StorageOptions> storage) : IResumableBytes
{
    /// <summary>Where the tails, the first bytes and a finished Mastodon upload's whole file live in the bucket.</summary>
    public const string Prefix = "resumable_uploads/";

    private const long MinimumPart = 5 * 1024 * 1024;

    /// <summary>The first bytes kept as an object of their own once parts exist (the parts of an unfinished multipart upload cannot be read).</summary>
    private const int HeadBytes = 4096;

    private readonly long _partSize = Math.Max(storage.Value.S3.PartSize, MinimumPart);

    private sealed record Part(int Number, string ETag, long Size);

    /// <summary>What the row keeps: the multipart upload, its parts, and the tail object after them.</summary>
    private sealed record State(string Key, string MultipartId, List<Part> Parts, string? Tail, long TailLength)
    {
        public long PartsLength => Parts.Sum(part => part.Size);
        public long Length => PartsLength + TailLength;
    }

    public async Task<string?> CreateAsync(string uploadId, string? storageKey, CancellationToken cancellationToken)
    {
        var key = storageKey ?? $"{Prefix}{uploadId}/whole";
        var multipart = await bucket.CallAsync((client, name) =>
            client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = name, Key = key }, cancellationToken));
        return Write(new State(key, multipart.UploadId, [], null, 0));
    }

    public async Task<AppendOutcome> AppendAsync(ResumableUpload upload, PipeReader body, long maxBytes, IncrementalHash? hash,
        Func<long, string?, CancellationToken, Task<bool>> record, CancellationToken stop)
    {
        var state = Read(upload);
        var recorded = upload.Offset;
        var bufferPath = temp.NewPath("part");
        try
        {
            // The next part starts with the tail: bring it back from the bucket.
            if (state.Tail is { } tail) await bucket.CopyToFileAsync(tail, bufferPath, CancellationToken.None);
            // Shared: the SDK opens the file again to send it as a part or the tail.
            using var buffer = File.OpenHandle(bufferPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
            var buffered = RandomAccess.GetLength(buffer);
            if (buffered != state.TailLength) throw new InvalidDataException($"The tail of upload {upload.Id} is {buffered} bytes, not {state.TailLength}");
            var received = 0L;
            var segments = new List<ReadOnlyMemory<byte>>();
            // As on local disk: a newer request's stop ends the read cleanly, not by cancelling it under Kestrel.
            using var stopping = stop.Register(body.CancelPendingRead);
            while (true)
            {
                ReadResult result;
                try
                {
                    result = await body.ReadAsync();
                }
                catch (Exception e) when (LocalResumableBytes.IsClientGone(e))
                {
                    return await EndAsync(AppendStop.Interrupted);
                }
                var chunk = result.Buffer;
                if (received + chunk.Length > maxBytes)
                {
                    body.AdvanceTo(chunk.End);
                    return new AppendOutcome(recorded, hash is null ? Write(state) : upload.BackendState, AppendStop.TooLong);
                }
                ResumableChunks.Write(buffer, chunk, buffered, segments, hash);
                buffered += chunk.Length;
                received += chunk.Length;
                body.AdvanceTo(chunk.End);
                if (result.IsCompleted || result.IsCanceled) return await EndAsync(result.IsCompleted ? AppendStop.BodyEnded : AppendStop.Interrupted);
                if (buffered < _partSize) continue;

                // Another process may have taken the upload over (a resumption sent elsewhere): it writes the same part
                // numbers, so this request asks first (recording what it has, unchanged) and stops if the upload is no longer its own.
                if (hash is null && !await record(recorded, Write(state), CancellationToken.None))
                {
                    return new AppendOutcome(recorded, Write(state), AppendStop.Superseded);
                }
                try
                {
                    state = await UploadPartAsync(upload.Id, state, bufferPath, buffered, CancellationToken.None);
                }
                catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchUpload")
                {
                    // Completed or removed by the request that took the upload over.
                    return new AppendOutcome(recorded, Write(state), AppendStop.Superseded);
                }
                RandomAccess.SetLength(buffer, 0);
                buffered = 0;
                // With a checksum to verify, the caller records the offset once the bytes are shown to be right.
                if (hash is not null) continue;
                if (!await record(state.Length, Write(state), CancellationToken.None)) return new AppendOutcome(state.Length, Write(state), AppendStop.Superseded);
                recorded = state.Length;
            }

            async Task<AppendOutcome> EndAsync(AppendStop how)
            {
                if (buffered > 0 && (buffered != state.TailLength || state.Tail is null))
                {
                    var tailKey = $"{Prefix}{upload.Id}/tail-{Guid.NewGuid():N}";
                    await bucket.PutFileAsync(tailKey, bufferPath, "application/octet-stream", CancellationToken.None);
                    state = state with { Tail = tailKey, TailLength = buffered };
                }
                if (hash is null && state.Length != recorded && !await record(state.Length, Write(state), CancellationToken.None))
                {
                    return new AppendOutcome(state.Length, Write(state), AppendStop.Superseded);
                }
                return new AppendOutcome(state.Length, Write(state), how);
            }
        }
        finally
        {
            File.Delete(bufferPath);
        }
    }

    public async Task<byte[]> ReadHeadAsync(ResumableUpload upload, int length, CancellationToken cancellationToken)
    {
        var state = Read(upload);
        var key = state.Parts.Count > 0 ? HeadKey(upload.Id) : state.Tail;
        var wanted = (int)Math.Min(length, upload.Offset);
        return key is null || wanted == 0 ? [] : await bucket.ReadHeadAsync(key, wanted, cancellationToken);
    }

    public async Task<string> ToLocalFileAsync(ResumableUpload upload, CancellationToken cancellationToken)
    {
        var state = Read(upload);
        var path = temp.NewPath();
        if (state.Parts.Count == 0)
        {
            if (state.Tail is { } tail) await bucket.CopyToFileAsync(tail, path, cancellationToken);
            else await File.WriteAllBytesAsync(path, [], cancellationToken);
            return path;
        }
        await CompleteAsync(upload.Id, state, cancellationToken);
        await bucket.CopyToFileAsync(state.Key, path, cancellationToken);
        return path;
    }

    public async Task MoveToStorageAsync(ResumableUpload upload, string key, string contentType, CancellationToken cancellationToken)
    {
        var state = Read(upload);
        if (state.Parts.Count > 0 && state.Key == key)
        {
            await CompleteAsync(upload.Id, state, cancellationToken);
            return;
        }
        await bucket.PutFileAsync(key, await ToLocalFileAsync(upload, cancellationToken), contentType, cancellationToken);
    }

    /// <summary>Aborts the multipart upload (if it is not complete already) and removes the objects under the upload's prefix.</summary>
    public async Task DeleteAsync(ResumableUpload upload, CancellationToken cancellationToken)
    {
        if (upload.BackendState is not null)
        {
            var state = Read(upload);
            try
            {
                await bucket.CallAsync((client, name) => client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest
                {
                    BucketName = name,
                    Key = state.Key,
                    UploadId = state.MultipartId,
                }, cancellationToken));
            }
            catch (Exception e) when (e is AmazonS3Exception or StorageUnavailableException)
            {
                // Completed already (NoSuchUpload), or a store that cannot abort (s3rver answers 501): the parts are the
                // store's to expire (a lifecycle rule on incomplete multipart uploads). A real outage fails the listing below.
            }
        }
        await foreach (var stored in bucket.ListAsync($"{Prefix}{upload.Id}/", cancellationToken))
        {
            await bucket.DeleteAsync(stored.Key, cancellationToken);
        }
    }

    private async Task<State> UploadPartAsync(string uploadId, State state, string bufferPath, long length, CancellationToken cancellationToken)
    {
        if (state.Parts.Count == 0)
        {
            // Part 1 starts at byte 0: its first bytes are what the type is told from.
            var head = temp.NewPath("head");
            try
            {
                await using (var source = File.OpenRead(bufferPath))
                await using (var target = File.Create(head))
                {
                    var first = new byte[(int)Math.Min(HeadBytes, length)];
                    await source.ReadExactlyAsync(first, cancellationToken);
                    await target.WriteAsync(first, cancellationToken);
                }
                await bucket.PutFileAsync(HeadKey(uploadId), head, "application/octet-stream", cancellationToken);
            }
            finally
            {
                File.Delete(head);
            }
        }
        var number = state.Parts.Count + 1;
        var part = await bucket.CallAsync((client, name) => client.UploadPartAsync(new UploadPartRequest
        {
            BucketName = name,
            Key = state.Key,
            UploadId = state.MultipartId,
            PartNumber = number,
            FilePath = bufferPath,
            FilePosition = 0,
            PartSize = length,
            UseChunkEncoding = false,
        }, cancellationToken));
        return state with { Parts = [.. state.Parts, new Part(number, part.ETag, length)], Tail = null, TailLength = 0 };
    }

    /// <summary>The tail becomes the last part (S3 allows the last one to be short) and the parts one object at the upload's key.</summary>
    private async Task CompleteAsync(string uploadId, State state, CancellationToken cancellationToken)
    {
        // Completed by an earlier attempt (its media then failed for a passing reason): the object is there.
        if (await bucket.LengthAsync(state.Key, cancellationToken) == state.Length) return;
        if (state.Tail is { } tail)
        {
            var path = temp.NewPath("part");
            try
            {
                await bucket.CopyToFileAsync(tail, path, cancellationToken);
                state = await UploadPartAsync(uploadId, state, path, state.TailLength, cancellationToken);
            }
            finally
            {
                File.Delete(path);
            }
        }
        await bucket.CallAsync((client, name) => client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = name,
            Key = state.Key,
            UploadId = state.MultipartId,
            PartETags = [.. state.Parts.Select(part => new PartETag(part.Number, part.ETag))],
        }, cancellationToken));
    }

    private static string HeadKey(string uploadId) => $"{Prefix}{uploadId}/head";

    private static State Read(ResumableUpload upload) =>
        JsonSerializer.Deserialize<State>(upload.BackendState ?? throw new InvalidDataException($"Upload {upload.Id} has no multipart upload"))!;

    private static string Write(State state) => JsonSerializer.Serialize(state);
}
