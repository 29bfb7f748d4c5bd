using Mediary.Storage;
using Microsoft.Extensions.Options;

namespace Mediary.Media;

/// <summary>What one vacuum run removed (or, on a dry run, would remove), oldest first.</summary>
public sealed record VacuumResult(IReadOnlyList<MediaAttachment> Removed, bool DryRun)
{
    public int Count => Removed.Count;
}

/// <summary>
/// Mastodon's <c>Vacuum::MediaAttachmentsVacuum</c>: media that no status took within the TTL are
/// deleted, records first and then their files. Shared by the server's periodic run and the CLI.
/// </summary>
public sealed class MediaVacuum(MediaRepository repository, IMediaStorage storage, IOptions<VacuumOptions> options,
    TimeProvider clock, IMediaEvents events, ILogger<MediaVacuum> logger)
{
    private const int BatchSize = 100;

    public async Task<VacuumResult> RunAsync(bool dryRun, CancellationToken cancellationToken = default, IProgress<int>? progress = null)
    {
        // Mastodon: unattached and created_at < now - TTL. Ids are (unix ms << 16) | sequence, taken
        // at the same instant as created_at (and never behind the clock), so "id below the cutoff's
        // smallest id" is exactly "created before the cutoff". Unlike comparing the created_at text,
        // it does not depend on how that string was formatted, and it pages on the primary key.
        var cutoff = clock.GetUtcNow() - options.Value.UnattachedMediaTtl;
        var beforeId = cutoff.ToUnixTimeMilliseconds() << 16;

        var removed = new List<MediaAttachment>();
        var afterId = 0L;
        while (true)
        {
            var batch = await repository.ListUnattachedAsync(afterId, beforeId, BatchSize, cancellationToken);
            if (batch.Count == 0) break;
            afterId = batch[^1].Id;
            if (dryRun)
            {
                removed.AddRange(batch);
                progress?.Report(removed.Count);
                continue;
            }
            // The rows go first, so nothing points at a file about to vanish. A job still queued
            // for one of them finds no row and ends.
            var deleted = (await repository.DeleteUnattachedAsync(batch.Select(m => m.Id).ToList(), cancellationToken)).ToHashSet();
            foreach (var media in batch.Where(m => deleted.Contains(m.Id)))
            {
                await storage.DeleteAllAsync(media.StoredKeys, logger);
                // Its owner's webhooks hear of it like of a deletion of their own.
                await events.DeletedAsync(media);
                removed.Add(media);
            }
            progress?.Report(removed.Count);
        }
        return new VacuumResult(removed, dryRun);
    }
}
