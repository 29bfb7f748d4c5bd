using Dapper;
using Mediary.Data;
using Mediary.Storage;

namespace Mediary.Media;

/// <summary>What <see cref="OrphanSweep"/> found (and, unless a dry run, removed).</summary>
public sealed record OrphanResult(IReadOnlyList<StoredObject> Orphans, bool DryRun)
{
    public long Bytes => Orphans.Sum(orphan => orphan.Length);
}

/// <summary>
/// Mastodon's <c>tootctl media remove-orphans</c>: stored files that no record points at. Files are
/// stored before their record is written and deleted after it is removed, so a process killed at
/// the wrong moment (or a vacuum interrupted between the two) leaves some behind, on disk or in a
/// bucket. A file counts as an orphan when the record its key names (a media id in the key's
/// id partition, or the direct upload id of an earlier version's document) does not exist or does
/// not refer to that key, or, for an upload waiting under a face's prefix (<see cref="IPendingUploads"/>),
/// when no media has it as its source and its face no longer waits for it; and it is older than
/// the given age, which spares uploads and jobs still writing. Keys of any other shape are not
/// Mediary's to judge and are left alone.
/// </summary>
public sealed class OrphanSweep(IDatabase database, IMediaStorage storage, IEnumerable<IPendingUploads> pendingUploads, TimeProvider clock,
    ILogger<OrphanSweep> logger)
{
    private readonly IReadOnlyList<IPendingUploads> _pending = pendingUploads.ToList();

    /// <summary>Where Mediary stores files; everything it writes is under one of these.</summary>
    private IEnumerable<string> Prefixes => new[] { "media_attachments/", "pending/" }.Concat(_pending.Select(pending => pending.Prefix));

    private const int BatchSize = 500;

    public async Task<OrphanResult> RunAsync(bool dryRun, TimeSpan minimumAge, CancellationToken cancellationToken = default, IProgress<int>? progress = null)
    {
        var cutoff = clock.GetUtcNow() - minimumAge;
        var orphans = new List<StoredObject>();
        var batch = new List<StoredObject>(BatchSize);
        var examined = 0;
        foreach (var prefix in Prefixes)
        {
            await foreach (var stored in storage.ListAsync(prefix, cancellationToken))
            {
                if (++examined % BatchSize == 0) progress?.Report(examined);
                if (stored.LastModified > cutoff) continue;
                batch.Add(stored);
                if (batch.Count == BatchSize) await JudgeAsync(batch, orphans, dryRun, cancellationToken);
            }
        }
        await JudgeAsync(batch, orphans, dryRun, cancellationToken);
        return new OrphanResult(orphans, dryRun);
    }

    private async Task JudgeAsync(List<StoredObject> batch, List<StoredObject> orphans, bool dryRun, CancellationToken cancellationToken)
    {
        var owners = batch.Select(stored => (Stored: stored, Owner: OwnerOf(stored.Key))).Where(item => item.Owner is not null).ToList();
        var referenced = await ReferencedKeysAsync(
            owners.Select(item => item.Owner!.MediaId).OfType<long>().Distinct().ToArray(),
            owners.Select(item => item.Owner!.DirectId).OfType<string>().Distinct().ToArray(), cancellationToken);
        var judged = owners.Select(item => item.Stored).ToList();
        foreach (var pending in _pending)
        {
            var waiting = batch.Where(stored => stored.Key.StartsWith(pending.Prefix, StringComparison.Ordinal)).Select(stored => stored.Key).ToArray();
            if (waiting.Length == 0) continue;
            referenced.UnionWith(await pending.AwaitedAsync(waiting, cancellationToken));
            referenced.UnionWith(await SourcesAsync(waiting, cancellationToken));
            judged.AddRange(batch.Where(stored => waiting.Contains(stored.Key)));
        }
        foreach (var stored in judged.Where(stored => !referenced.Contains(stored.Key)))
        {
            if (!dryRun) await storage.DeleteAllAsync([stored.Key], logger);
            orphans.Add(stored);
        }
        batch.Clear();
    }

    /// <summary>Of these keys, those that are some media's source, read in place by its job.</summary>
    private async Task<IEnumerable<string>> SourcesAsync(string[] keys, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            $"SELECT source_key FROM media_attachments WHERE source_key {database.InList("@keys")}", new { keys },
            cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>The record a key belongs to, read from the key's shape; null for a key Mediary does not write.</summary>
    internal static KeyOwner? OwnerOf(string key) => key.Split('/') switch
    {
        ["media_attachments", "files" or "thumbnails", .. var rest] => MediaOwner(rest),
        ["pending", .. var rest] => MediaOwner(rest),
        // Documents stored by an earlier version, under their direct upload's id.
        ["media_attachments", "documents", var id, ..] when Guid.TryParse(id, out _) => new KeyOwner(null, id),
        _ => null,
    };

    /// <summary>Paperclip's id partition (groups of three digits) at the start of <paramref name="parts"/>, then the style or name.</summary>
    private static KeyOwner? MediaOwner(string[] parts)
    {
        var digits = string.Concat(parts.TakeWhile(part => part.Length == 3 && part.All(char.IsAsciiDigit)));
        return digits.Length > 0 && long.TryParse(digits, out var mediaId) ? new KeyOwner(mediaId, null) : null;
    }

    private async Task<HashSet<string>> ReferencedKeysAsync(long[] mediaIds, string[] directIds, CancellationToken cancellationToken)
    {
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        await using var connection = await database.OpenAsync(cancellationToken);
        if (mediaIds.Length > 0)
        {
            var rows = await connection.QueryAsync<(string?, string?, string?, string?)>(new CommandDefinition(
                $"SELECT file_key, small_key, thumbnail_key, source_key FROM media_attachments WHERE id {database.InList("@mediaIds")}",
                new { mediaIds }, cancellationToken: cancellationToken));
            foreach (var (file, small, thumbnail, source) in rows) referenced.UnionWith(new[] { file, small, thumbnail, source }.OfType<string>());
        }
        if (directIds.Length > 0)
        {
            var rows = await connection.QueryAsync<(string?, string?, string?, string?)>(new CommandDefinition(
                $"SELECT file_key, small_key, thumbnail_key, source_key FROM media_attachments WHERE direct_id {database.InList("@directIds")}",
                new { directIds }, cancellationToken: cancellationToken));
            foreach (var (file, small, thumbnail, source) in rows) referenced.UnionWith(new[] { file, small, thumbnail, source }.OfType<string>());
        }
        return referenced;
    }

    internal sealed record KeyOwner(long? MediaId, string? DirectId);
}
