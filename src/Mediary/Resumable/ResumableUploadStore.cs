using Dapper;
using Mediary.Data;

namespace Mediary.Resumable;

/// <summary>
/// The <c>resumable_uploads</c> table. An offset is recorded only by the request that holds the
/// upload's current generation, so a request that was taken over, in this process or another,
/// cannot move the offset after its successor read it.
/// </summary>
public sealed class ResumableUploadStore(IDatabase database)
{
    private const string Columns = """
        id, account_id AS AccountId, face, direct_id AS DirectId, length, upload_offset AS "Offset", metadata, state,
        media_id AS MediaId, backend_state AS BackendState, generation, expires_at AS ExpiresAt, created_at AS CreatedAt
        """;

    public async Task InsertAsync(ResumableUpload upload, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO resumable_uploads (id, account_id, face, direct_id, length, upload_offset, metadata, state, media_id, backend_state,
                generation, expires_at, created_at)
            VALUES (@Id, @AccountId, @Face, @DirectId, @Length, @Offset, @Metadata, @State, @MediaId, @BackendState, @Generation, @ExpiresAt, @CreatedAt)
            """, upload, cancellationToken: cancellationToken));
    }

    public async Task<ResumableUpload?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ResumableUpload>(new CommandDefinition(
            $"SELECT {Columns} FROM resumable_uploads WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>The open upload of a direct media, if it has one.</summary>
    public async Task<ResumableUpload?> FindByDirectIdAsync(string directId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ResumableUpload>(new CommandDefinition(
            $"SELECT {Columns} FROM resumable_uploads WHERE direct_id = @directId", new { directId }, cancellationToken: cancellationToken));
    }

    public async Task<int> CountOpenAsync(long accountId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            // A direct upload's resumable upload is bounded by its declaration, not counted here.
            "SELECT COUNT(*) FROM resumable_uploads WHERE account_id = @accountId AND state = @open AND direct_id IS NULL",
            new { accountId, open = ResumableStates.Open }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Makes the caller the upload's current writer: the next generation, and the row as it is now.
    /// A database only this process writes (SQLite) has no other process to fence off: the
    /// in-process lease already excludes every other request, so the row is only read, and a
    /// PATCH commits once (its offset), not twice.
    /// </summary>
    public async Task<ResumableUpload?> TakeOverAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var sql = database.IsShared
            ? $"UPDATE resumable_uploads SET generation = generation + 1 WHERE id = @id RETURNING {Columns}"
            : $"SELECT {Columns} FROM resumable_uploads WHERE id = @id";
        return await connection.QuerySingleOrDefaultAsync<ResumableUpload>(new CommandDefinition(sql, new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>Records a durable offset; false when another request has taken the upload over since <paramref name="generation"/>.</summary>
    public async Task<bool> RecordOffsetAsync(string id, long generation, long offset, string? backendState, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE resumable_uploads SET upload_offset = @offset, backend_state = @backendState
            WHERE id = @id AND generation = @generation AND state = @open
            """, new { id, generation, offset, backendState, open = ResumableStates.Open }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>The upload became media <paramref name="mediaId"/>; false when it was no longer this request's to finish.</summary>
    public async Task<bool> FinishAsync(string id, long generation, long offset, string mediaId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE resumable_uploads SET state = @done, media_id = @mediaId, upload_offset = @offset, backend_state = NULL
            WHERE id = @id AND generation = @generation AND state = @open
            """, new { id, generation, offset, mediaId, done = ResumableStates.Done, open = ResumableStates.Open },
            cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Sets the length of an upload that had none.</summary>
    public async Task RecordLengthAsync(string id, long length, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("UPDATE resumable_uploads SET length = @length WHERE id = @id AND length IS NULL",
            new { id, length }, cancellationToken: cancellationToken));
    }

    public async Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM resumable_uploads WHERE id = @id", new { id },
            cancellationToken: cancellationToken));
    }

    /// <summary>Uploads whose time is up (<paramref name="now"/>, Unix seconds), finished ones included: their rows are only kept to answer HEAD.</summary>
    public async Task<IReadOnlyList<ResumableUpload>> ExpiredAsync(long now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<ResumableUpload>(new CommandDefinition(
            $"SELECT {Columns} FROM resumable_uploads WHERE expires_at <= @now ORDER BY expires_at LIMIT @limit", new { now, limit },
            cancellationToken: cancellationToken))).AsList();
    }
}
