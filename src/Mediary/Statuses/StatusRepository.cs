using Dapper;
using Mediary.Data;
using Mediary.Media;

namespace Mediary.Statuses;

/// <summary>Status rows, the media they attach, and Idempotency-Key replays.</summary>
public sealed class StatusRepository(IDatabase database, MediaRepository media)
{
    private const string Columns = """
        id, account_id AS AccountId, text, sensitive, spoiler_text AS SpoilerText, visibility, language,
        media_ids AS MediaIds, created_at AS CreatedAt, edited_at AS EditedAt
        """;

    public async Task<Status?> FindAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Status>(new CommandDefinition(
            $"SELECT {Columns} FROM statuses WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// A page of the account's statuses, newest first: every one, or with <paramref name="publicOnly"/>
    /// only public and unlisted ones; with <paramref name="onlyMedia"/> only those that attach media.
    /// </summary>
    public async Task<IReadOnlyList<Status>> ListByAccountAsync(long accountId, bool publicOnly, bool onlyMedia, IdPage page,
        CancellationToken cancellationToken = default)
    {
        var parameters = new DynamicParameters(page);
        parameters.Add("accountId", accountId);
        var visibility = publicOnly ? " AND visibility IN ('public', 'unlisted')" : "";
        var media = onlyMedia ? " AND EXISTS (SELECT 1 FROM media_attachments m WHERE m.status_id = statuses.id)" : "";
        await using var connection = await database.OpenAsync(cancellationToken);
        return page.NewestFirst(await connection.QueryAsync<Status>(new CommandDefinition(
            $"SELECT {Columns} FROM statuses WHERE account_id = @accountId{visibility}{media}{page.SqlTail("id")}",
            parameters, cancellationToken: cancellationToken)));
    }

    /// <summary>The status an earlier request with this Idempotency-Key created within the last hour.</summary>
    public async Task<long?> FindByIdempotencyKeyAsync(long accountId, string key, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "SELECT status_id FROM idempotency_keys WHERE account_id = @accountId AND key = @key AND created_at > @since",
            new { accountId, key, since = DateTimeOffset.UtcNow.AddHours(-1).ToString("O") }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Inserts the status and attaches its media in one transaction; false (nothing written) when
    /// some media was attached elsewhere meanwhile.
    /// </summary>
    public async Task<bool> InsertAsync(Status status, IReadOnlyCollection<long> mediaIds, string? idempotencyKey, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync("""
            INSERT INTO statuses (id, account_id, text, sensitive, spoiler_text, visibility, language, media_ids, created_at, edited_at)
            VALUES (@Id, @AccountId, @Text, @Sensitive, @SpoilerText, @Visibility, @Language, @MediaIds, @CreatedAt, @EditedAt)
            """, status, transaction);
        if (await media.SetStatusAsync(connection, transaction, status.AccountId, mediaIds, null, status.Id) != mediaIds.Count) return false;
        if (idempotencyKey is not null)
        {
            await connection.ExecuteAsync("""
                INSERT INTO idempotency_keys (account_id, key, status_id, created_at) VALUES (@AccountId, @key, @Id, @CreatedAt)
                ON CONFLICT (account_id, key) DO UPDATE SET status_id = excluded.status_id, created_at = excluded.created_at
                """, new { status.AccountId, key = idempotencyKey, status.Id, status.CreatedAt }, transaction);
        }
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Replaces text fields and the attached media: media dropped go back to unattached.</summary>
    public async Task<bool> UpdateAsync(Status status, IReadOnlyCollection<long> oldMediaIds, IReadOnlyCollection<long> newMediaIds,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync("""
            UPDATE statuses SET text = @Text, sensitive = @Sensitive, spoiler_text = @SpoilerText, language = @Language,
                media_ids = @MediaIds, edited_at = @EditedAt WHERE id = @Id
            """, status, transaction);
        var removed = oldMediaIds.Except(newMediaIds).ToList();
        var added = newMediaIds.Except(oldMediaIds).ToList();
        await media.SetStatusAsync(connection, transaction, status.AccountId, removed, status.Id, null);
        if (await media.SetStatusAsync(connection, transaction, status.AccountId, added, null, status.Id) != added.Count) return false;
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Deletes the status; its media go back to unattached (Mastodon's redraft).</summary>
    public async Task DeleteAsync(Status status, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await media.SetStatusAsync(connection, transaction, status.AccountId, status.OrderedMediaIds.ToList(), status.Id, null);
        await connection.ExecuteAsync("DELETE FROM idempotency_keys WHERE status_id = @Id", status, transaction);
        await connection.ExecuteAsync("DELETE FROM statuses WHERE id = @Id", status, transaction);
        await transaction.CommitAsync(cancellationToken);
    }
}
