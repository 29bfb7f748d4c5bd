using System.IO.Pipelines;
using System.Security.Cryptography;
using Mediary.Configuration;
using Mediary.Media;
using Mediary.Storage;
using Microsoft.Extensions.Options;

namespace Mediary.Resumable;

/// <summary>
/// Resumable uploads on local disk: one file per upload under <c>{data}/uploads</c>, appended in
/// place. Bytes are flushed to the disk (fsync) before their offset is recorded, and a request
/// starts by cutting the file back to the recorded offset, so what a crash left past it is never read.
/// </summary>
public sealed class LocalResumableBytes : IResumableBytes
{
    private readonly string _root;
    private readonly long _checkpointBytes;
    private readonly IMediaStorage _storage;
    private readonly TempFiles _temp;

    public LocalResumableBytes(IOptions<MediaryOptions> options, IOptions<ResumableUploadOptions> uploads, IMediaStorage storage, TempFiles temp)
    {
        _root = Path.Combine(Path.GetFullPath(options.Value.DataDirectory), "uploads");
        Directory.CreateDirectory(_root);
        _checkpointBytes = uploads.Value.CheckpointBytes;
        _storage = storage;
        _temp = temp;
    }

    public Task<string?> CreateAsync(string uploadId, string? storageKey, CancellationToken cancellationToken)
    {
        using (File.Create(PathOf(uploadId))) { }
        return Task.FromResult<string?>(null);
    }

    public async Task<AppendOutcome> AppendAsync(ResumableUpload upload, PipeReader body, long maxBytes, IncrementalHash? hash,
        Func<long, string?, CancellationToken, Task<bool>> record, CancellationToken stop)
    {
        using var file = File.OpenHandle(PathOf(upload.Id), FileMode.Open, FileAccess.Write, FileShare.None);
        RandomAccess.SetLength(file, upload.Offset);
        var position = upload.Offset;
        var recorded = upload.Offset;
        var sinceCheckpoint = 0L;
        var segments = new List<ReadOnlyMemory<byte>>();
        var received = 0L;
        // A newer request's stop ends the read cleanly (the result says canceled), rather than by
        // cancelling the read under Kestrel, which then finds a read in progress when it drains the body.
        using var stopping = stop.Register(body.CancelPendingRead);
        while (true)
        {
            ReadResult result;
            try
            {
                result = await body.ReadAsync();
            }
            catch (Exception e) when (IsClientGone(e))
            {
                return await EndAsync(AppendStop.Interrupted);
            }
            var buffer = result.Buffer;
            if (received + buffer.Length > maxBytes)
            {
                body.AdvanceTo(buffer.End);
                // Checkpoints recorded on the way stay: the upload is at the last of them.
                return new AppendOutcome(recorded, null, AppendStop.TooLong);
            }
            ResumableChunks.Write(file, buffer, position, segments, hash);
            position += buffer.Length;
            received += buffer.Length;
            sinceCheckpoint += buffer.Length;
            body.AdvanceTo(buffer.End);
            if (result.IsCompleted || result.IsCanceled) return await EndAsync(result.IsCompleted ? AppendStop.BodyEnded : AppendStop.Interrupted);
            if (sinceCheckpoint >= _checkpointBytes && hash is null)
            {
                RandomAccess.FlushToDisk(file);
                sinceCheckpoint = 0;
                if (!await record(position, null, CancellationToken.None)) return new AppendOutcome(position, null, AppendStop.Superseded);
                recorded = position;
            }
        }

        async Task<AppendOutcome> EndAsync(AppendStop how)
        {
            RandomAccess.FlushToDisk(file);
            // With a checksum to verify, the caller records the offset once the bytes are shown to be right.
            if (hash is null && position != upload.Offset && !await record(position, null, CancellationToken.None))
            {
                return new AppendOutcome(position, null, AppendStop.Superseded);
            }
            return new AppendOutcome(position, null, how);
        }
    }

    public async Task<byte[]> ReadHeadAsync(ResumableUpload upload, int length, CancellationToken cancellationToken)
    {
        var head = new byte[(int)Math.Min(length, upload.Offset)];
        using var file = File.OpenHandle(PathOf(upload.Id), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var read = await RandomAccess.ReadAsync(file, head, 0, cancellationToken);
        return head[..read];
    }

    /// <summary>A second name for the upload's file (a hard link where the disk allows), so processing may move or delete it freely.</summary>
    public Task<string> ToLocalFileAsync(ResumableUpload upload, CancellationToken cancellationToken) =>
        Task.FromResult(_temp.SecondName(PathOf(upload.Id)));

    public async Task MoveToStorageAsync(ResumableUpload upload, string key, string contentType, CancellationToken cancellationToken) =>
        await _storage.PutFileAsync(key, await ToLocalFileAsync(upload, cancellationToken), contentType, cancellationToken);

    public Task DeleteAsync(ResumableUpload upload, CancellationToken cancellationToken)
    {
        File.Delete(PathOf(upload.Id));
        return Task.CompletedTask;
    }

    /// <summary>A request body that ended early: the client's connection closed or reset, or the request was cancelled.</summary>
    internal static bool IsClientGone(Exception e) => e is IOException or OperationCanceledException or BadHttpRequestException;

    // Ids are base64url (letters, digits, '-', '_'): safe as file names, checked again here.
    private string PathOf(string uploadId) => uploadId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
        ? Path.Combine(_root, uploadId)
        : throw new ArgumentException("Not an upload id", nameof(uploadId));
}
