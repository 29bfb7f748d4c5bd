using Dapper;
using Mediary.Data;

namespace Mediary.Media;

/// <summary>Media attachment rows. Every lookup is scoped to the owning account.</summary>
public sealed class MediaRepository(IDatabase database)
{
    private const string Columns = """
        id, account_id AS AccountId, type, processing, file_key AS FileKey, file_content_type AS FileContentType,
        file_size AS FileSize, small_key AS SmallKey, meta, description, blurhash, status_id AS StatusId,
        created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    public async Task InsertAsync(MediaAttachment media, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO media_attachments (id, account_id, type, processing, file_key, file_content_type, file_size, small_key,
                meta, description, blurhash, status_id, created_at, updated_at)
            VALUES (@Id, @AccountId, @Type, @Processing, @FileKey, @FileContentType, @FileSize, @SmallKey,
                @Meta, @Description, @Blurhash, @StatusId, @CreatedAt, @UpdatedAt)
            """, media, cancellationToken: cancellationToken));
    }

    /// <summary>The account's attachment with this id, attached to a status or not.</summary>
    public async Task<MediaAttachment?> FindAsync(long accountId, long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<MediaAttachment>(new CommandDefinition(
            $"SELECT {Columns} FROM media_attachments WHERE id = @id AND account_id = @accountId",
            new { id, accountId }, cancellationToken: cancellationToken));
    }

    public async Task UpdateDetailsAsync(MediaAttachment media, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE media_attachments SET description = @Description, meta = @Meta, blurhash = @Blurhash, updated_at = @UpdatedAt WHERE id = @Id",
            media, cancellationToken: cancellationToken));
    }

    /// <summary>Deletes the row unless a status took it meanwhile; false if it was not deleted.</summary>
    public async Task<bool> DeleteUnattachedAsync(long accountId, long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM media_attachments WHERE id = @id AND account_id = @accountId AND status_id IS NULL",
            new { id, accountId }, cancellationToken: cancellationToken)) > 0;
    }
}
