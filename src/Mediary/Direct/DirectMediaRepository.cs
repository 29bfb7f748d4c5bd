using Dapper;
using Mediary.Data;

namespace Mediary.Direct;

/// <summary>Direct upload rows, read with the status they show. Every client lookup is scoped to the owning account.</summary>
public sealed class DirectMediaRepository(IDatabase database)
{
    /// <summary>
    /// The one definition of the status a client sees: an upload a <c>complete</c> holds (or an
    /// earlier version's job verifies) is processing; a completed one reads its core media
    /// (complete: ready; queued or in progress: processing; failed or gone: failed).
    /// </summary>
    private const string Status = """
        (CASE WHEN d.state = 'verifying' OR (d.state = 'pending_upload' AND d.claimed_until > @nowUnix) THEN 'processing'
              WHEN d.state <> 'completed' THEN d.state
              WHEN m.processing = 'complete' THEN 'ready'
              WHEN m.processing IN ('queued', 'in_progress') THEN 'processing'
              ELSE 'failed' END)
        """;

    private const string Columns = $"""
        d.id, d.account_id AS AccountId, d.kind, d.filename, d.declared_type AS DeclaredType, d.declared_size AS DeclaredSize,
        d.checksum_sha256 AS ChecksumSha256, d.state, d.content_type AS ContentType, d.failure, d.post_id AS PostId,
        d.expires_at AS ExpiresAt, d.claimed_until AS ClaimedUntil, d.created_at AS CreatedAt, m.id AS CoreId, {Status} AS Status
        """;

    private const string From = "direct_media d LEFT JOIN media_attachments m ON m.direct_id = d.id";

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

    public async Task<DirectMedia?> FindAsync(long accountId, string id, long nowUnix, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<DirectMedia>(new CommandDefinition(
            $"SELECT {Columns} FROM {From} WHERE d.id = @id AND d.account_id = @accountId", new { id, accountId, nowUnix },
            cancellationToken: cancellationToken));
    }

    /// <summary>Step 2 has no API key: the signed URL names the media. Jobs have none either.</summary>
    public async Task<DirectMedia?> FindForUploadAsync(string id, long nowUnix, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<DirectMedia>(new CommandDefinition(
            $"SELECT {Columns} FROM {From} WHERE d.id = @id", new { id, nowUnix }, cancellationToken: cancellationToken));
    }

    /// <summary>Newest first; expired uploads are left out, as they are gone for the client.</summary>
    public async Task<(IReadOnlyList<DirectMedia> Items, long Total)> ListAsync(long accountId, string? kind, string? status, int limit, int offset,
        long nowUnix, CancellationToken cancellationToken)
    {
        var where = $"""
            d.account_id = @accountId AND NOT (d.state = 'pending_upload' AND d.expires_at <= @nowUnix AND {Unclaimed})
            AND (@kind IS NULL OR d.kind = @kind) AND (@status IS NULL OR {Status} = @status)
            """;
        var args = new { accountId, kind, status, limit, offset, nowUnix };
        await using var connection = await database.OpenAsync(cancellationToken);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM {From} WHERE {where}", args, cancellationToken: cancellationToken));
        var items = await connection.QueryAsync<DirectMedia>(new CommandDefinition(
            $"SELECT {Columns} FROM {From} WHERE {where} ORDER BY d.id DESC LIMIT @limit OFFSET @offset", args,
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
    /// Records how verification ended, only while the upload is still in <paramref name="fromState"/>:
    /// one completion wins, and an upload deleted meanwhile stays deleted. False when the row was not updated.
    /// </summary>
    public async Task<bool> EndAsync(string id, string fromState, string state, string? contentType, string? failure,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE direct_media SET state = @state, content_type = @contentType, failure = @failure
             WHERE id = @id AND state = @fromState
            """, new { id, fromState, state, contentType, failure }, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>Deletes the row unless a post uses it or a <c>complete</c> holds its claim; false if it was not deleted.</summary>
    public async Task<bool> DeleteUnusedAsync(long accountId, string id, long nowUnix, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM direct_media WHERE id = @id AND account_id = @accountId AND post_id IS NULL AND {Unclaimed}", new { id, accountId, nowUnix },
            cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>Ids of uploads never completed whose URL has expired, oldest first.</summary>
    public async Task<IReadOnlyList<string>> ListExpiredAsync(long nowUnix, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            $"SELECT id FROM direct_media WHERE state = 'pending_upload' AND expires_at <= @nowUnix AND {Unclaimed} ORDER BY expires_at LIMIT @limit",
            new { nowUnix, limit }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>Deletes an expired upload unless it was completed meanwhile.</summary>
    public async Task<bool> DeleteExpiredAsync(string id, long nowUnix, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM direct_media WHERE id = @id AND state = 'pending_upload' AND expires_at <= @nowUnix AND {Unclaimed}",
            new { id, nowUnix }, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>Of these upload ids, those whose bytes of step 2 still wait for <c>complete</c> (for the orphan sweep).</summary>
    public async Task<IReadOnlyList<string>> AwaitingCompletionAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            $"SELECT id FROM direct_media WHERE id {database.InList("@ids")} AND state IN ('pending_upload', 'verifying')",
            new { ids = ids.ToArray() }, cancellationToken: cancellationToken))).AsList();
    }
}
