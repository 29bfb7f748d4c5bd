using Dapper;
using Mediary.Data;
using Mediary.Jobs;

namespace Mediary.Direct;

/// <summary>Direct upload rows. Every client lookup is scoped to the owning account.</summary>
public sealed class DirectMediaRepository(IDatabase database)
{
    private const string Columns = """
        d.id, d.account_id AS AccountId, d.kind, d.filename, d.declared_type AS DeclaredType, d.declared_size AS DeclaredSize,
        d.checksum_sha256 AS ChecksumSha256, d.state, d.content_type AS ContentType, d.size, d.width, d.height, d.pages,
        d.file_key AS FileKey, d.thumbnail_key AS ThumbnailKey, d.failure, d.post_id AS PostId, d.expires_at AS ExpiresAt,
        d.claimed_until AS ClaimedUntil, d.created_at AS CreatedAt
        """;

    /// <summary>
    /// The status a client sees, as <see cref="DirectMediaView.Status"/> gives it: a handed-over
    /// image or video reads it from its core record (complete: ready; queued or in progress:
    /// processing; failed or gone: failed); an upload a <c>complete</c> holds or a job is verifying
    /// is processing.
    /// </summary>
    private const string EffectiveStatus = """
        (CASE WHEN d.state = 'verifying' OR (d.state = 'pending_upload' AND d.claimed_until > @nowUnix) THEN 'processing'
              WHEN d.state <> 'processing' OR d.kind = 'document' THEN d.state
              WHEN m.processing = 'complete' THEN 'ready'
              WHEN m.processing IN ('queued', 'in_progress') THEN 'processing'
              ELSE 'failed' END)
        """;

    /// <summary>
    /// No <c>complete</c> holds the upload (one whose deadline passed does not count). Unqualified,
    /// for statements with and without the <c>d</c> alias: only <c>direct_media</c> has the column.
    /// </summary>
    private const string Unclaimed = "(claimed_until IS NULL OR claimed_until <= @nowUnix)";

    public async Task InsertAsync(DirectMedia media, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO direct_media (id, account_id, kind, filename, declared_type, declared_size, checksum_sha256, state,
                expires_at, created_at)
            VALUES (@Id, @AccountId, @Kind, @Filename, @DeclaredType, @DeclaredSize, @ChecksumSha256, @State, @ExpiresAt, @CreatedAt)
            """, media, cancellationToken: cancellationToken));
    }

    public async Task<DirectMedia?> FindAsync(long accountId, string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<DirectMedia>(new CommandDefinition(
            $"SELECT {Columns} FROM direct_media d WHERE d.id = @id AND d.account_id = @accountId", new { id, accountId },
            cancellationToken: cancellationToken));
    }

    /// <summary>Step 2 has no API key: the signed URL names the media.</summary>
    public async Task<DirectMedia?> FindForUploadAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<DirectMedia>(new CommandDefinition(
            $"SELECT {Columns} FROM direct_media d WHERE d.id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>Newest first; expired uploads are left out, as they are gone for the client.</summary>
    public async Task<(IReadOnlyList<DirectMedia> Items, long Total)> ListAsync(long accountId, string? kind, string? status, int limit, int offset,
        long nowUnix, CancellationToken cancellationToken)
    {
        var where = $"""
            d.account_id = @accountId AND NOT (d.state = 'pending_upload' AND d.expires_at <= @nowUnix AND {Unclaimed})
            AND (@kind IS NULL OR d.kind = @kind) AND (@status IS NULL OR {EffectiveStatus} = @status)
            """;
        const string from = "direct_media d LEFT JOIN media_attachments m ON m.direct_id = d.id";
        var args = new { accountId, kind, status, limit, offset, nowUnix };
        await using var connection = await database.OpenAsync(cancellationToken);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM {from} WHERE {where}", args, cancellationToken: cancellationToken));
        var items = await connection.QueryAsync<DirectMedia>(new CommandDefinition(
            $"SELECT {Columns} FROM {from} WHERE {where} ORDER BY d.id DESC LIMIT @limit OFFSET @offset", args,
            cancellationToken: cancellationToken));
        return (items.AsList(), total);
    }

    /// <summary>
    /// Takes the upload for one <c>complete</c> until <paramref name="until"/>: false when it is no
    /// longer pending or another completion holds it (one whose process died loses it at its deadline).
    /// </summary>
    public async Task<bool> ClaimAsync(string id, long nowUnix, long until, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE direct_media SET claimed_until = @until WHERE id = @id AND state = 'pending_upload' AND {Unclaimed}",
            new { id, nowUnix, until }, cancellationToken: cancellationToken)) > 0;
    }

    public async Task ReleaseAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("UPDATE direct_media SET claimed_until = NULL WHERE id = @id", new { id },
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Writes what verification found, only while the upload is still in <paramref name="fromState"/>
    /// (pending for <c>complete</c> itself, verifying for its job): one completion wins, and an
    /// upload deleted meanwhile stays deleted. False when the row was not updated.
    /// </summary>
    public async Task<bool> CompleteAsync(DirectMedia media, string fromState, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE direct_media SET state = @State, content_type = @ContentType, size = @Size, width = @Width, height = @Height,
                pages = @Pages, file_key = @FileKey, thumbnail_key = @ThumbnailKey, failure = @Failure, claimed_until = NULL
             WHERE id = @Id AND state = @fromState
            """, new
        {
            media.Id,
            media.State,
            media.ContentType,
            media.Size,
            media.Width,
            media.Height,
            media.Pages,
            media.FileKey,
            media.ThumbnailKey,
            media.Failure,
            fromState,
        }, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>
    /// Hands a pending upload to a job: it becomes <c>verifying</c> and its job is queued in the same
    /// transaction, so neither exists without the other. False when it was no longer pending.
    /// </summary>
    public async Task<bool> QueueVerificationAsync(string id, IJobQueue jobs, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var taken = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE direct_media SET state = 'verifying', claimed_until = NULL WHERE id = @id AND state = 'pending_upload'",
            new { id }, transaction, cancellationToken: cancellationToken)) > 0;
        if (!taken) return false;
        await jobs.EnqueueDirectAsync(connection, transaction, id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Deletes the row unless a post uses it; false if it was not deleted.</summary>
    public async Task<bool> DeleteUnusedAsync(long accountId, string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM direct_media WHERE id = @id AND account_id = @accountId AND post_id IS NULL", new { id, accountId },
            cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>Uploads never completed whose URL has expired, oldest first.</summary>
    public async Task<IReadOnlyList<DirectMedia>> ListExpiredAsync(long nowUnix, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<DirectMedia>(new CommandDefinition(
            $"SELECT {Columns} FROM direct_media d WHERE d.state = 'pending_upload' AND d.expires_at <= @nowUnix AND {Unclaimed} ORDER BY d.expires_at LIMIT @limit",
            new { nowUnix, limit }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>Deletes an expired upload unless it was completed meanwhile.</summary>
    public async Task<bool> DeleteExpiredAsync(string id, long nowUnix, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM direct_media WHERE id = @id AND state = 'pending_upload' AND expires_at <= @nowUnix AND {Unclaimed}",
            new { id, nowUnix },
            cancellationToken: cancellationToken)) > 0;
    }
}
