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
