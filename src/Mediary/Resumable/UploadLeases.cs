namespace Mediary.Resumable;

/// <summary>
/// One request at a time per upload in this process, and the newest wins, as the resumable upload
/// draft asks: a new request on an upload first tells the request still working on it to stop (it
/// ends at a durable offset and records it), waits for it to let go, then goes on. A connection
/// that died mid-body so never blocks its own resumption. Across processes the upload's generation
/// in the database does the same, at the superseded request's next checkpoint.
/// </summary>
public sealed class UploadLeases
{
    private static readonly TimeSpan HandOverWait = TimeSpan.FromSeconds(30);
    private readonly Dictionary<string, Holder> _holders = [];

    /// <summary>Waits for the upload, stopping whoever has it; the lease's token says when this request must stop in turn.</summary>
    /// <exception cref="TimeoutException">The earlier request did not let go in time.</exception>
    public async Task<Lease> TakeAsync(string uploadId, CancellationToken requestAborted)
    {
        Holder holder;
        lock (_holders)
        {
            if (!_holders.TryGetValue(uploadId, out holder!)) _holders[uploadId] = holder = new Holder();
            holder.Users++;
            holder.Current?.Cancel();
        }
        try
        {
            if (!await holder.Gate.WaitAsync(HandOverWait, requestAborted)) throw new TimeoutException($"Upload {uploadId} is still held by another request");
        }
        catch
        {
            Leave(uploadId, holder);
            throw;
        }
        var stop = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        lock (_holders) holder.Current = stop;
        return new Lease(this, uploadId, holder, stop);
    }

    private void Release(string uploadId, Holder holder, CancellationTokenSource stop)
    {
        lock (_holders)
        {
            if (holder.Current == stop) holder.Current = null;
        }
        stop.Dispose();
        holder.Gate.Release();
        Leave(uploadId, holder);
    }

    private void Leave(string uploadId, Holder holder)
    {
        lock (_holders)
        {
            if (--holder.Users == 0) _holders.Remove(uploadId);
        }
    }

    internal sealed class Holder
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        public CancellationTokenSource? Current;
        public int Users;
    }

    /// <summary>The upload is this request's until disposed; <see cref="Stop"/> fires when a newer request wants it or the client left.</summary>
    public sealed class Lease : IDisposable
    {
        private readonly UploadLeases _owner;
        private readonly string _uploadId;
        private readonly Holder _holder;
        private readonly CancellationTokenSource _stop;
        private bool _released;

        internal Lease(UploadLeases owner, string uploadId, Holder holder, CancellationTokenSource stop)
        {
            _owner = owner;
            _uploadId = uploadId;
            _holder = holder;
            _stop = stop;
            Stop = stop.Token;
        }

        public CancellationToken Stop { get; }

        public void Dispose()
        {
            if (_released) return;
            _released = true;
            _owner.Release(_uploadId, _holder, _stop);
        }
    }
}
