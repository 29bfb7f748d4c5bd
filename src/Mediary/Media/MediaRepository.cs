using System.Collections.Concurrent;
using Dapper;
using Mediary.Configuration;
using Microsoft.Extensions.Options;
using Mediary.Data;
using Mediary.Jobs;

namespace Mediary.Media;

/// <summary>
/// Media attachment rows. Every client lookup is scoped to the owning account.
/// Rows read are remembered (clients poll <c>GET /api/v1/media/:id</c>), and every write here
/// replaces or drops the remembered row. That is sound only while this process is the one
/// writer of media rows, as on the embedded default (<c>serve</c> holds the data directory's lock);
/// <see cref="MediaryOptions.CacheMediaRows"/> turns it off for anything else.
/// </summary>
public sealed class MediaRepository(IDatabase database, IOptions<MediaryOptions> options)
{
    private const int CacheCapacity = 20_000;
    private readonly ConcurrentDictionary<long, MediaAttachment>? _cache = options.Value.CacheMediaRows ? new() : null;

    // Bumped by every write: a row read while a write was under way is not remembered, since it
    // may predate that write's commit.
    private long _generation;

    private MediaAttachment? Remember(MediaAttachment? media, long generationBeforeRead)
    {
        if (media is null || _cache is null || Interlocked.Read(ref _generation) != generationBeforeRead) return media;
        if (_cache.Count >= CacheCapacity) _cache.Clear();
        _cache[media.Id] = media.Copy();
        return media;
    }

    private void Forget(long id)
    {
        Interlocked.Increment(ref _generation);
        _cache?.TryRemove(id, out _);
    }

    private const string Columns = """
        id, account_id AS AccountId, type, processing, file_key AS FileKey, file_content_type AS FileContentType,
        file_size AS FileSize, small_key AS SmallKey, thumbnail_key AS ThumbnailKey, source_key AS SourceKey, file_name AS FileName,
        meta, description, blurhash, status_id AS StatusId,
        created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    private const string Insert = """
        INSERT INTO media_attachments (id, account_id, type, processing, file_key, file_content_type, file_size, small_key,
            thumbnail_key, source_key, file_name, meta, description, blurhash, status_id, created_at, updated_at)
        VALUES (@Id, @AccountId, @Type, @Processing, @FileKey, @FileContentType, @FileSize, @SmallKey,
            @ThumbnailKey, @SourceKey, @FileName, @Meta, @Description, @Blurhash, @StatusId, @CreatedAt, @UpdatedAt)
        """;

    public async Task InsertAsync(MediaAttachment media, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(Insert, media, cancellationToken: cancellationToken));
    }

    /// <summary>The media row and its processing job, in one transaction: neither exists without the other.</summary>
    public async Task InsertWithJobAsync(MediaAttachment media, IJobQueue jobs, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(Insert, media, transaction, cancellationToken: cancellationToken));
        await jobs.EnqueueAsync(connection, transaction, media.Id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The media by id alone, for background jobs.</summary>
    public async Task<MediaAttachment?> FindByIdAsync(long id, CancellationToken cancellationToken = default)
    {
        if (_cache is not null && _cache.TryGetValue(id, out var cached)) return cached.Copy();
        var generation = Interlocked.Read(ref _generation);
        await using var connection = await database.OpenAsync(cancellationToken);
        return Remember(await connection.QuerySingleOrDefaultAsync<MediaAttachment>(new CommandDefinition(
            $"SELECT {Columns} FROM media_attachments WHERE id = @id", new { id }, cancellationToken: cancellationToken)), generation);
    }

    public async Task SetProcessingAsync(long id, string processing, CancellationToken cancellationToken = default)
    {
        Forget(id);
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE media_attachments SET processing = @processing, updated_at = @now WHERE id = @id",
            new { id, processing, now = DateTimeOffset.UtcNow.ToString("O") }, cancellationToken: cancellationToken));
        Forget(id);
    }

    /// <summary>
    /// Read-modify-write of one row in a transaction that holds the write lock, so a background
    /// job finishing and a client editing the same media never overwrite each other's fields.
    /// Returns the row as written, or null when it no longer exists.
    /// </summary>
    public async Task<MediaAttachment?> ModifyAsync(long id, Action<MediaAttachment> apply, CancellationToken cancellationToken = default)
    {
        Forget(id);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var media = await connection.QuerySingleOrDefaultAsync<MediaAttachment>(new CommandDefinition(
            $"SELECT {Columns} FROM media_attachments WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken));
        if (media is null) return null;
        apply(media);
        media.UpdatedAt = DateTimeOffset.UtcNow.ToString("O");
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE media_attachments SET type = @Type, processing = @Processing, file_key = @FileKey, file_content_type = @FileContentType,
                file_size = @FileSize, small_key = @SmallKey, thumbnail_key = @ThumbnailKey, source_key = @SourceKey, meta = @Meta,
                description = @Description, blurhash = @Blurhash, updated_at = @UpdatedAt
             WHERE id = @Id
            """, media, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        Forget(id);
        return media;
    }

    /// <summary>The account's attachment with this id, attached to a status or not.</summary>
    public async Task<MediaAttachment?> FindAsync(long accountId, long id, CancellationToken cancellationToken = default)
    {
        var media = await FindByIdAsync(id, cancellationToken);
        return media?.AccountId == accountId ? media : null;
    }

    /// <summary>Deletes the row unless a status took it meanwhile; false if it was not deleted.</summary>
    public async Task<bool> DeleteUnattachedAsync(long accountId, long id, CancellationToken cancellationToken = default)
    {
        Forget(id);
        await using var connection = await database.OpenAsync(cancellationToken);
        var deleted = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM media_attachments WHERE id = @id AND account_id = @accountId AND status_id IS NULL",
            new { id, accountId }, cancellationToken: cancellationToken)) > 0;
        Forget(id);
        return deleted;
    }
}
