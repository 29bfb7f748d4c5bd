using System.ComponentModel.DataAnnotations;
using Dapper;
using Mediary.Data;
using Microsoft.Extensions.Options;

namespace Mediary.Media;

/// <summary>Section <c>Quotas</c>: how much one account may store.</summary>
public sealed class QuotaOptions
{
    public const string Section = "Quotas";

    /// <summary>Bytes of media one account may store; 0 (the default) means no limit.</summary>
    [Range(0, long.MaxValue)] public long StorageBytes { get; set; }
}

/// <summary>An account's storage: the bytes of its media, the bytes declared for direct uploads not yet completed, and its limit.</summary>
/// <param name="LimitBytes">Null when there is no limit.</param>
public sealed record StorageUsage(long UsedBytes, long ReservedBytes, long? LimitBytes, long MediaCount)
{
    public long? RemainingBytes => LimitBytes is { } limit ? Math.Max(0, limit - UsedBytes - ReservedBytes) : null;
}

/// <summary>One account's storage, for the operator.</summary>
public sealed record AccountUsage(long AccountId, string Username, StorageUsage Usage);

/// <summary>
/// The per-account storage quota, shared by both faces. What counts is each media's stored file
/// (its size after processing, as <c>meta</c> and the face's JSON report it) and, on the direct
/// face, the size declared for an upload until it completes or expires; previews and thumbnails
/// (a few percent) do not count. An upload is refused before its body is read when its size is
/// known (a direct declaration, a Content-Length), and again once its bytes are here.
/// </summary>
public sealed class StorageQuota(IDatabase database, IOptions<QuotaOptions> options, TimeProvider time)
{
    public long? Limit => options.Value.StorageBytes > 0 ? options.Value.StorageBytes : null;

    public async Task<StorageUsage> UsageAsync(long accountId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var media = await connection.QuerySingleAsync<(long Used, long Count)>(new CommandDefinition(
            "SELECT COALESCE(SUM(file_size), 0), COUNT(*) FROM media_attachments WHERE account_id = @accountId",
            new { accountId }, cancellationToken: cancellationToken));
        var reserved = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COALESCE(SUM(declared_size), 0) FROM direct_media WHERE account_id = @accountId AND state = 'pending_upload' AND expires_at > @now",
            new { accountId, now = time.GetUtcNow().ToUnixTimeSeconds() }, cancellationToken: cancellationToken));
        return new StorageUsage(media.Used, reserved, Limit, media.Count);
    }

    /// <summary>
    /// Every account's usage, newest account first: at most <paramref name="limit"/> accounts, those
    /// with an id below <paramref name="maxId"/> when given (Mastodon's paging), or only
    /// <paramref name="accountId"/> when given.
    /// </summary>
    public Task<IReadOnlyList<AccountUsage>> UsageByAccountAsync(int limit, long? maxId = null, long? accountId = null,
        CancellationToken cancellationToken = default) =>
        UsageWhereAsync(accountId is not null ? "WHERE a.id = @accountId" : maxId is not null ? "WHERE a.id < @maxId" : "",
            new { limit, maxId, accountId, now = time.GetUtcNow().ToUnixTimeSeconds() }, cancellationToken);

    /// <summary>The usage of each of these accounts (those that exist), newest account first.</summary>
    public Task<IReadOnlyList<AccountUsage>> UsageOfAccountsAsync(IReadOnlyCollection<long> accountIds, CancellationToken cancellationToken = default) =>
        accountIds.Count == 0 ? Task.FromResult<IReadOnlyList<AccountUsage>>([])
            : UsageWhereAsync($"WHERE a.id {database.InList("@accountIds")}", new { accountIds = accountIds.ToArray(), limit = accountIds.Count, now = time.GetUtcNow().ToUnixTimeSeconds() },
                cancellationToken);

    private async Task<IReadOnlyList<AccountUsage>> UsageWhereAsync(string filter, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long Id, string Username, long Used, long Count, long Reserved)>(new CommandDefinition($"""
            SELECT a.id, a.username,
                COALESCE((SELECT SUM(m.file_size) FROM media_attachments m WHERE m.account_id = a.id), 0),
                (SELECT COUNT(*) FROM media_attachments m WHERE m.account_id = a.id),
                COALESCE((SELECT SUM(d.declared_size) FROM direct_media d
                    WHERE d.account_id = a.id AND d.state = 'pending_upload' AND d.expires_at > @now), 0)
            FROM accounts a {filter} ORDER BY a.id DESC LIMIT @limit
            """, parameters, cancellationToken: cancellationToken));
        return [.. rows.Select(row => new AccountUsage(row.Id, row.Username, new StorageUsage(row.Used, row.Reserved, Limit, row.Count)))];
    }

    /// <summary>
    /// Refuses <paramref name="bytes"/> more for the account when they would take it past its limit.
    /// <paramref name="countReservations"/>: whether direct uploads still to come count (not for the
    /// completion of one of them, whose own declaration is among them).
    /// </summary>
    public async Task EnsureRoomAsync(long accountId, long bytes, bool countReservations, CancellationToken cancellationToken)
    {
        if (Limit is not { } limit) return;
        var usage = await UsageAsync(accountId, cancellationToken);
        var taken = usage.UsedBytes + (countReservations ? usage.ReservedBytes : 0);
        if (taken + bytes > limit) throw MediaException.QuotaExceeded(limit);
    }
}
