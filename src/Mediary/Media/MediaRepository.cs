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
/// The exception is the vacuum, which the CLI may run while the server does: like token
/// revocations, its deletions rewrite a marker file in the data directory, and the cache is
/// dropped whenever the marker's timestamp changes (see ChangeMarker: at most one stat a millisecond instead of one query per lookup).
/// </summary>
public sealed class MediaRepository(IDatabase database, IOptions<MediaryOptions> options)
{
    private const int CacheCapacity = 20_000;
    private readonly ConcurrentDictionary<long, MediaAttachment>? _cache = options.Value.CacheMediaRows && !database.IsShared ? new() : null;
    private readonly ChangeMarker _changeMarker = new(Path.Combine(Path.GetFullPath(options.Value.DataDirectory), "media.changed"));

    // Bumped by every write and every drop of the whole cache: a row read while a write was under
    // way is not remembered, since it may predate that write's commit.
    private long _generation;

    private MediaAttachment? Remember(MediaAttachment? media, long generationBeforeRead)
    {
        if (media is null || _cache is null || Interlocked.Read(ref _generation) != generationBeforeRead) return media;
        if (_cache.Count >= CacheCapacity) _cache.Clear();
        _cache[media.Id] = media.Copy();
        // A write or a drop between the check and the insert has already done its removal: undo ours.
        if (Interlocked.Read(ref _generation) != generationBeforeRead) _cache.TryRemove(media.Id, out _);
        return media;
    }

    /// <summary>Drops the whole cache when some process has deleted media since the last look.</summary>
    private void DropCacheIfChangedElsewhere()
    {
        if (_cache is null) return;
        if (!_changeMarker.Changed()) return;
        Interlocked.Increment(ref _generation);
        _cache.Clear();
    }

    /// <summary>Tells every process on this data directory that rows are gone; only after the commit.</summary>
    private Task TouchChangeMarkerAsync() => _changeMarker.TouchAsync(DateTimeOffset.UtcNow.ToString("O"));

    private void Forget(long id)
    {
        Interlocked.Increment(ref _generation);
        _cache?.TryRemove(id, out _);
    }

    private const string Columns = """
        id, account_id AS AccountId, type, processing, file_key AS FileKey, file_content_type AS FileContentType,
        file_size AS FileSize, small_key AS SmallKey, thumbnail_key AS ThumbnailKey, source_key AS SourceKey, source_probe AS SourceProbe,
        source_check AS SourceCheck, failure, file_name AS FileName, meta, description, blurhash, status_id AS StatusId, direct_id AS DirectId,
        created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    private const string Insert = """
        INSERT INTO media_attachments (id, account_id, type, processing, file_key, file_content_type, file_size, small_key,
            thumbnail_key, source_key, source_probe, source_check, failure, file_name, meta, description, blurhash, status_id, direct_id,
            created_at, updated_at)
        VALUES (@Id, @AccountId, @Type, @Processing, @FileKey, @FileContentType, @FileSize, @SmallKey,
            @ThumbnailKey, @SourceKey, @SourceProbe, @SourceCheck, @Failure, @FileName, @Meta, @Description, @Blurhash, @StatusId, @DirectId,
            @CreatedAt, @UpdatedAt)
        """;

    /// <summary>
    /// Points media at a status (or back to none), inside the caller's transaction; only rows of
    /// <paramref name="accountId"/> whose status is <paramref name="currentStatusId"/> change.
    /// Returns how many did.
    /// </summary>
    public async Task<int> SetStatusAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction,
        long accountId, IReadOnlyCollection<long> ids, long? currentStatusId, long? newStatusId)
    {
        foreach (var id in ids) Forget(id);
        var changed = await connection.ExecuteAsync(
            $"UPDATE media_attachments SET status_id = @newStatusId WHERE account_id = @accountId AND id {database.InList("@ids")} AND status_id IS NOT DISTINCT FROM @currentStatusId",
            new { accountId, ids = ids.ToArray(), currentStatusId, newStatusId }, transaction);
        foreach (var id in ids) Forget(id);
        return changed;
    }

    /// <summary>Media of a status, in no particular order.</summary>
    public async Task<IReadOnlyList<MediaAttachment>> ListByStatusAsync(long statusId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<MediaAttachment>(new CommandDefinition(
            $"SELECT {Columns} FROM media_attachments WHERE status_id = @statusId", new { statusId }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>Media of these statuses, in no particular order.</summary>
    public async Task<IReadOnlyList<MediaAttachment>> ListByStatusesAsync(IReadOnlyCollection<long> statusIds, CancellationToken cancellationToken = default)
    {
        if (statusIds.Count == 0) return [];
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<MediaAttachment>(new CommandDefinition(
            $"SELECT {Columns} FROM media_attachments WHERE status_id {database.InList("@statusIds")}", new { statusIds = statusIds.ToArray() },
            cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>
    /// A page of the account's Mastodon media not attached to a status, newest first; only of
    /// <paramref name="type"/> and in one of <paramref name="processing"/> when given.
    /// </summary>
    public async Task<IReadOnlyList<MediaAttachment>> ListUnattachedByAccountAsync(long accountId, string? type, IReadOnlyCollection<string>? processing,
        IdPage page, CancellationToken cancellationToken = default)
    {
        var parameters = new DynamicParameters(page);
        parameters.Add("accountId", accountId);
        parameters.Add("type", type);
        parameters.Add("processing", processing?.ToArray());
        var filters = (type is null ? "" : " AND type = @type") + (processing is null ? "" : $" AND processing {database.InList("@processing")}");
        await using var connection = await database.OpenAsync(cancellationToken);
        return page.NewestFirst(await connection.QueryAsync<MediaAttachment>(new CommandDefinition($"""
            SELECT {Columns} FROM media_attachments
             WHERE account_id = @accountId AND status_id IS NULL AND direct_id IS NULL{filters}{page.SqlTail("id")}
            """, parameters, cancellationToken: cancellationToken)));
    }

    public async Task InsertAsync(MediaAttachment media, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(Insert, media, cancellationToken: cancellationToken));
    }

    /// <summary>The media row and its processing job, in one transaction: neither exists without the other.</summary>
    public async Task InsertWithJobAsync(MediaAttachment media, IJobQueue jobs, CancellationToken cancellationToken = default)
    {
        await using var work = await jobs.BeginAsync(cancellationToken);
        await work.Connection.ExecuteAsync(new CommandDefinition(Insert, media, work.Transaction, cancellationToken: cancellationToken));
        await work.EnqueueAsync(MediaJobProcessor.JobKind, media.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            media.AccountId.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        await work.CommitAsync(cancellationToken);
    }

    /// <summary>The media by id alone, for background jobs.</summary>
    public async Task<MediaAttachment?> FindByIdAsync(long id, CancellationToken cancellationToken = default)
    {
        DropCacheIfChangedElsewhere();
        if (_cache is not null && _cache.TryGetValue(id, out var cached)) return cached.Copy();
        var generation = Interlocked.Read(ref _generation);
        await using var connection = await database.OpenAsync(cancellationToken);
        return Remember(await connection.QuerySingleOrDefaultAsync<MediaAttachment>(new CommandDefinition(
            $"SELECT {Columns} FROM media_attachments WHERE id = @id", new { id }, cancellationToken: cancellationToken)), generation);
    }

    /// <summary>Sets the processing state; <paramref name="failure"/> says why, for a failed one.</summary>
    public async Task SetProcessingAsync(long id, string processing, string? failure = null, CancellationToken cancellationToken = default)
    {
        Forget(id);
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE media_attachments SET processing = @processing, failure = @failure, updated_at = @now WHERE id = @id",
            new { id, processing, failure, now = DateTimeOffset.UtcNow.ToString("O") }, cancellationToken: cancellationToken));
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
            $"SELECT {Columns} FROM media_attachments WHERE id = @id{database.ForUpdate}", new { id }, transaction, cancellationToken: cancellationToken));
        if (media is null) return null;
        apply(media);
        media.UpdatedAt = DateTimeOffset.UtcNow.ToString("O");
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE media_attachments SET type = @Type, processing = @Processing, file_key = @FileKey, file_content_type = @FileContentType,
                file_size = @FileSize, small_key = @SmallKey, thumbnail_key = @ThumbnailKey, source_key = @SourceKey,
                source_probe = @SourceProbe, source_check = @SourceCheck, failure = @Failure, meta = @Meta,
                description = @Description, blurhash = @Blurhash, updated_at = @UpdatedAt
             WHERE id = @Id
            """, media, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        Forget(id);
        return media;
    }

    /// <summary>
    /// The account's Mastodon attachment with this id, attached to a status or not. Media uploaded
    /// through the direct face belong to that face: the Mastodon face never sees them.
    /// </summary>
    public async Task<MediaAttachment?> FindAsync(long accountId, long id, CancellationToken cancellationToken = default)
    {
        var media = await FindByIdAsync(id, cancellationToken);
        return media?.AccountId == accountId && media.DirectId is null ? media : null;
    }

    /// <summary>The core record of a direct upload.</summary>
    public async Task<MediaAttachment?> FindByDirectIdAsync(string directId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM media_attachments WHERE direct_id = @directId", new { directId }, cancellationToken: cancellationToken));
        return id is { } found ? await FindByIdAsync(found, cancellationToken) : null;
    }

    /// <summary>Deletes the row unless a status took it meanwhile; false if it was not deleted.</summary>
    public async Task<bool> DeleteUnattachedAsync(long accountId, long id, CancellationToken cancellationToken = default) =>
        await DeleteUnattachedReturningKeysAsync(accountId, id, cancellationToken) is not null;

    /// <summary>
    /// Deletes an unattached row and returns the file keys it held at that moment (null when nothing
    /// was deleted): a job may have stored a file and recorded it since the caller read the row.
    /// </summary>
    public async Task<IReadOnlyList<string?>?> DeleteUnattachedReturningKeysAsync(long accountId, long id, CancellationToken cancellationToken = default)
    {
        Forget(id);
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<(string? File, string? Small, string? Thumbnail, string? Source)>(new CommandDefinition(
            "DELETE FROM media_attachments WHERE id = @id AND account_id = @accountId AND status_id IS NULL RETURNING file_key, small_key, thumbnail_key, source_key",
            new { id, accountId }, cancellationToken: cancellationToken))).AsList();
        Forget(id);
        return rows.Count == 0 ? null : [rows[0].File, rows[0].Small, rows[0].Thumbnail, rows[0].Source];
    }

    /// <summary>
    /// Unattached rows with <paramref name="afterId"/> &lt; id &lt; <paramref name="beforeId"/>, oldest
    /// first, at most <paramref name="limit"/>: the vacuum's batches, paged on the primary key.
    /// </summary>
    public async Task<IReadOnlyList<MediaAttachment>> ListUnattachedAsync(long afterId, long beforeId, int limit,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<MediaAttachment>(new CommandDefinition($"""
            SELECT {Columns} FROM media_attachments
             WHERE id > @afterId AND id < @beforeId AND status_id IS NULL AND direct_id IS NULL
             ORDER BY id LIMIT @limit
            """, new { afterId, beforeId, limit }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>
    /// Deletes each of these rows that is still unattached, whoever owns it (the vacuum), and then
    /// tells the other processes on this data directory. Returns the ids actually deleted.
    /// </summary>
    public async Task<IReadOnlyList<long>> DeleteUnattachedAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        foreach (var id in ids) Forget(id);
        var deleted = new List<long>();
        await using (var connection = await database.OpenAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            foreach (var id in ids)
            {
                // A status may have taken it since it was listed.
                var rows = await connection.ExecuteAsync(new CommandDefinition(
                    "DELETE FROM media_attachments WHERE id = @id AND status_id IS NULL", new { id }, transaction, cancellationToken: cancellationToken));
                if (rows > 0) deleted.Add(id);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        foreach (var id in ids) Forget(id);
        if (deleted.Count > 0) await TouchChangeMarkerAsync();
        return deleted;
    }
}
