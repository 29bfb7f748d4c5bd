using Dapper;
using Mediary.Data;
using Mediary.Storage;
using Microsoft.Extensions.Options;

namespace Mediary.Media;

/// <summary>
/// A media whose processing failed keeps its raw upload while an operator may retry its job; once
/// it failed more than <see cref="VacuumOptions.FailedSourceRetentionHours"/> ago the vacuum removes
/// that upload, and the media stays failed (its job can no longer be retried). Without this a failed
/// direct-face media, which the unattached-media vacuum leaves alone, would keep it for ever.
/// </summary>
public sealed class FailedSourceRetention(IDatabase database, MediaRepository repository, IMediaStorage storage, IOptions<VacuumOptions> options,
    TimeProvider clock, ILogger<FailedSourceRetention> logger)
{
    private const int BatchSize = 100;

    /// <summary>Removes the raw uploads kept past the retention; returns how many.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        // A failed media's row is not changed after it failed (a failed media cannot be edited), so
        // updated_at is when it failed. Every updated_at is written as UTC in the round-trip format,
        // so the text's order is the time's.
        var cutoff = (clock.GetUtcNow() - options.Value.FailedSourceRetention).ToString("O");
        var removed = 0;
        var afterId = 0L;
        while (true)
        {
            List<long> batch;
            await using (var connection = await database.OpenAsync(cancellationToken))
            {
                batch = (await connection.QueryAsync<long>(new CommandDefinition("""
                    SELECT id FROM media_attachments
                     WHERE processing = 'failed' AND source_key IS NOT NULL AND updated_at < @cutoff AND id > @afterId
                     ORDER BY id LIMIT @limit
                    """, new { cutoff, afterId, limit = BatchSize }, cancellationToken: cancellationToken))).AsList();
            }
            if (batch.Count == 0) return removed;
            afterId = batch[^1];
            foreach (var id in batch)
            {
                string? source = null;
                await repository.ModifyAsync(id, current =>
                {
                    // Retried meanwhile: the job needs it again.
                    if (current.Processing != ProcessingStates.Failed) return;
                    source = current.SourceKey;
                    current.SourceKey = null;
                    current.SourceProbe = null;
                }, cancellationToken);
                if (source is null) continue;
                // The row first, so nothing points at a file about to go.
                await storage.DeleteAllAsync([source], logger);
                removed++;
            }
        }
    }
}
