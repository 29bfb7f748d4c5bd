using Microsoft.AspNetCore.Http.Features;
using System.IO.Pipelines;
using System.Security.Cryptography;
using Mediary.OAuth;
using Microsoft.Extensions.Options;

namespace Mediary.Resumable;

/// <summary>The answer to one append: the upload as it is now, and whether the request's bytes were refused.</summary>
/// <param name="BodyEnded">Whether the whole request body was taken (not cut short by the client or a successor).</param>
public sealed record AppendResult(ResumableUpload Upload, AppendRefusal? Refusal = null, bool BodyEnded = false);

public enum AppendRefusal
{
    /// <summary>The bytes' checksum is not the one the client sent: none of them is kept.</summary>
    ChecksumMismatch,

    /// <summary>More bytes than the upload's length: none of them is kept.</summary>
    TooLong,

    /// <summary>A request in another process took the upload over while this one was writing.</summary>
    Superseded,
}

/// <summary>An account has as many unfinished uploads as it may (<see cref="ResumableUploadOptions.MaxOpenPerAccount"/>).</summary>
public sealed class TooManyOpenUploadsException(int limit)
    : Exception($"Too many unfinished uploads: at most {limit} may be open at once; finish or cancel one first");

/// <summary>
/// Resumable uploads, whichever protocol carries them and whichever face they belong to: created
/// for an account, taken by one request at a time, appended durably, and handed to the face once
/// their last byte is here. The protocols (tus, the IETF draft) only translate headers to these calls.
/// </summary>
public sealed class ResumableUploads(ResumableUploadStore store, IResumableBytes bytes, UploadLeases leases, IOptions<ResumableUploadOptions> options,
    TimeProvider clock, ILogger<ResumableUploads> logger)
{
    public ResumableUploadOptions Options { get; } = options.Value;

    /// <exception cref="TooManyOpenUploadsException">The account's open uploads are at their bound.</exception>
    /// <param name="storageKey">Where the whole file will go in media storage, when known now (a direct upload's declared key).</param>
    public async Task<ResumableUpload> CreateAsync(long accountId, string face, long? length, string? metadata, string? directId,
        CancellationToken cancellationToken, string? storageKey = null)
    {
        if (await store.CountOpenAsync(accountId, cancellationToken) >= Options.MaxOpenPerAccount)
        {
            throw new TooManyOpenUploadsException(Options.MaxOpenPerAccount);
        }
        var id = Secrets.New();
        var now = clock.GetUtcNow();
        var upload = new ResumableUpload
        {
            Id = id,
            AccountId = accountId,
            Face = face,
            DirectId = directId,
            Length = length,
            Metadata = metadata,
            BackendState = await bytes.CreateAsync(id, storageKey, cancellationToken),
            ExpiresAt = (now + Options.Expiry).ToUnixTimeSeconds(),
            CreatedAt = now.ToString("O"),
        };
        await store.InsertAsync(upload, cancellationToken);

        // Counted again with this one in: of creations racing past the first count, none stays over the bound.
        if (await store.CountOpenAsync(accountId, cancellationToken) > Options.MaxOpenPerAccount)
        {
            await RemoveAsync(upload, CancellationToken.None);
            throw new TooManyOpenUploadsException(Options.MaxOpenPerAccount);
        }
        return upload;
    }

    /// <summary>
    /// The upload <paramref name="id"/> of this account and face, taken for this request (the one
    /// working on it before is stopped first); null when there is none, it is another account's, or
    /// its time is up. The id is unguessable, and another account's upload is answered as none.
    /// </summary>
    public async Task<(ResumableUpload Upload, UploadLeases.Lease Lease)?> TakeAsync(string id, long accountId, string face,
        CancellationToken requestAborted)
    {
        if (await FindAsync(id, accountId, face, requestAborted) is null) return null;
        var lease = await leases.TakeAsync(id, requestAborted);
        var upload = await store.TakeOverAsync(id, requestAborted);
        if (upload is null || !IsLive(upload))
        {
            lease.Dispose();
            return null;
        }
        return (upload, lease);
    }

    /// <summary>
    /// The resumable upload of direct declaration <paramref name="directId"/>, taken for this
    /// request, made on first use: its length is the declared size, its bytes end at
    /// <paramref name="storageKey"/>, and it lives as long as the declaration. The caller has
    /// checked the declaration (the signed URL); declarations bound these, not the open-upload count.
    /// </summary>
    public async Task<(ResumableUpload Upload, UploadLeases.Lease Lease)> TakeDirectAsync(string directId, long accountId, long length,
        string storageKey, long expiresAt, CancellationToken requestAborted)
    {
        var id = DirectUploadId(directId);
        var lease = await leases.TakeAsync(id, requestAborted);
        try
        {
            if (await store.FindAsync(id, requestAborted) is null)
            {
                var upload = new ResumableUpload
                {
                    Id = id,
                    AccountId = accountId,
                    Face = DirectFace,
                    DirectId = directId,
                    Length = length,
                    BackendState = await bytes.CreateAsync(id, storageKey, requestAborted),
                    ExpiresAt = expiresAt,
                    CreatedAt = clock.GetUtcNow().ToString("O"),
                };
                await store.InsertAsync(upload, requestAborted);
            }
            return (await store.TakeOverAsync(id, requestAborted) ?? throw new InvalidOperationException($"Upload {id} vanished"), lease);
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    /// <summary>The face that owns the resumable uploads of direct declarations.</summary>
    public const string DirectFace = "direct";

    /// <summary>One resumable upload per declaration: its id follows from the declaration's, so a second request finds the first's.</summary>
    public static string DirectUploadId(string directId) => "d" + directId.Replace("-", "", StringComparison.Ordinal);

    /// <summary>The upload as recorded, without taking it; null as for <see cref="TakeAsync"/>.</summary>
    public async Task<ResumableUpload?> FindAsync(string id, long accountId, string face, CancellationToken cancellationToken)
    {
        if (id.Length is 0 or > 64) return null;
        var upload = await store.FindAsync(id, cancellationToken);
        return upload is not null && upload.AccountId == accountId && upload.Face == face && IsLive(upload) ? upload : null;
    }

    /// <summary>
    /// Appends a request body at the upload's offset, as far as it goes: bytes are kept up to where
    /// the body ended or broke off, unless a <paramref name="checksum"/> was given, which holds for
    /// the whole body or keeps none of it. <paramref name="maxLength"/> bounds an upload of unknown length.
    /// </summary>
    public async Task<AppendResult> AppendAsync(ResumableUpload upload, PipeReader body, Checksum? checksum, long maxLength, CancellationToken stop)
    {
        var room = (upload.Length ?? maxLength) - upload.Offset;
        using var hash = checksum is null ? null : IncrementalHash.CreateHash(checksum.Algorithm);
        var outcome = await bytes.AppendAsync(upload, body, room, hash,
            (offset, state, ct) => store.RecordOffsetAsync(upload.Id, upload.Generation, offset, state, ct), stop);
        switch (outcome.Stop)
        {
            case AppendStop.TooLong:
                return new AppendResult(hash is null ? upload with { Offset = outcome.Offset, BackendState = outcome.BackendState } : upload,
                    AppendRefusal.TooLong);
            case AppendStop.Superseded:
                return new AppendResult(upload with { Offset = outcome.Offset }, AppendRefusal.Superseded);
        }
        var ended = outcome.Stop == AppendStop.BodyEnded;
        if (hash is null) return new AppendResult(upload with { Offset = outcome.Offset, BackendState = outcome.BackendState }, BodyEnded: ended);

        // With a checksum, a body cut short cannot be shown right: it is dropped like a wrong one.
        if (outcome.Stop != AppendStop.BodyEnded || !CryptographicOperations.FixedTimeEquals(hash.GetHashAndReset(), checksum!.Expected))
        {
            return new AppendResult(upload, outcome.Stop == AppendStop.BodyEnded ? AppendRefusal.ChecksumMismatch : null);
        }
        if (!await store.RecordOffsetAsync(upload.Id, upload.Generation, outcome.Offset, outcome.BackendState, CancellationToken.None))
        {
            return new AppendResult(upload, AppendRefusal.Superseded);
        }
        return new AppendResult(upload with { Offset = outcome.Offset, BackendState = outcome.BackendState }, BodyEnded: true);
    }

    /// <summary>
    /// Appends a request's body as <see cref="AppendAsync"/> does: refused as too long before a byte
    /// is read when its Content-Length says so, and bounded by the upload's own room, not by the
    /// server's request body limit.
    /// </summary>
    public Task<AppendResult> AppendBodyAsync(HttpContext http, ResumableUpload upload, Checksum? checksum, long maxLength, CancellationToken stop)
    {
        if (http.Request.ContentLength > (upload.Length ?? maxLength) - upload.Offset) return Task.FromResult(new AppendResult(upload, AppendRefusal.TooLong));
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit) bodyLimit.MaxRequestBodySize = null;
        return AppendAsync(upload, http.Request.BodyReader, checksum, maxLength, stop);
    }

    /// <summary>Records the length an upload of unknown length turned out to have (the IETF draft learns it late).</summary>
    public async Task<ResumableUpload> RecordLengthAsync(ResumableUpload upload, long length, CancellationToken cancellationToken)
    {
        await store.RecordLengthAsync(upload.Id, length, cancellationToken);
        return upload with { Length = length };
    }

    /// <summary>The first bytes, once there are any, to tell the type before the rest arrives.</summary>
    public Task<byte[]> ReadHeadAsync(ResumableUpload upload, int length, CancellationToken cancellationToken) =>
        bytes.ReadHeadAsync(upload, length, cancellationToken);

    /// <summary>The whole upload as a local file that the caller owns.</summary>
    public Task<string> ToLocalFileAsync(ResumableUpload upload, CancellationToken cancellationToken) => bytes.ToLocalFileAsync(upload, cancellationToken);

    /// <summary>Moves the whole upload into media storage (the direct face's declared upload key).</summary>
    public Task MoveToStorageAsync(ResumableUpload upload, string key, string contentType, CancellationToken cancellationToken) =>
        bytes.MoveToStorageAsync(upload, key, contentType, cancellationToken);

    /// <summary>The upload became <paramref name="mediaId"/>: its bytes go, its row stays (until it expires) to answer HEAD with the id.</summary>
    public async Task<ResumableUpload> FinishAsync(ResumableUpload upload, string mediaId, CancellationToken cancellationToken)
    {
        await store.FinishAsync(upload.Id, upload.Generation, upload.Offset, mediaId, cancellationToken);
        await DeleteBytesQuietlyAsync(upload);
        return upload with { State = ResumableStates.Done, MediaId = mediaId };
    }

    /// <summary>Removes the upload and its bytes (a client's termination, a refused file, an expiry).</summary>
    public async Task RemoveAsync(ResumableUpload upload, CancellationToken cancellationToken)
    {
        await store.DeleteAsync(upload.Id, cancellationToken);
        await DeleteBytesQuietlyAsync(upload);
    }

    /// <summary>Removes every upload whose time is up, with its bytes; finished ones lose their row.</summary>
    public async Task<int> RemoveExpiredAsync(CancellationToken cancellationToken)
    {
        var removed = 0;
        while (true)
        {
            var batch = await store.ExpiredAsync(clock.GetUtcNow().ToUnixTimeSeconds(), 100, cancellationToken);
            foreach (var upload in batch)
            {
                using var lease = await leases.TakeAsync(upload.Id, cancellationToken);
                await RemoveAsync(upload, cancellationToken);
                if (upload.State == ResumableStates.Open) removed++;
            }
            if (batch.Count < 100) return removed;
        }
    }

    private bool IsLive(ResumableUpload upload) => upload.ExpiresAt > clock.GetUtcNow().ToUnixTimeSeconds();

    private async Task DeleteBytesQuietlyAsync(ResumableUpload upload)
    {
        try
        {
            await bytes.DeleteAsync(upload, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not remove the bytes of resumable upload {Upload}", upload.Id);
        }
    }
}

/// <summary>A checksum the client sent for a request's body: the algorithm, and the digest expected.</summary>
public sealed record Checksum(HashAlgorithmName Algorithm, byte[] Expected);
