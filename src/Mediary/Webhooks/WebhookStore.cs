using System.Globalization;
using Dapper;
using Mediary.Data;
using Mediary.Jobs;

namespace Mediary.Webhooks;

/// <summary>
/// Webhook and delivery rows. A delivery is written with its job in one transaction
/// (<see cref="IJobQueue.BeginAsync"/>), so neither exists without the other. Lookups by owners are
/// scoped to the account and the face.
/// </summary>
public sealed class WebhookStore(IDatabase database, IJobQueue jobs)
{
    private const string WebhookColumns = "id, account_id AS AccountId, face, url, events, secret, origin, created_at AS CreatedAt";

    private const string DeliveryColumns = """
        id, webhook_id AS WebhookId, event, body, state, round, attempts, last_status AS LastStatus, last_error AS LastError,
        next_attempt_at AS NextAttemptAt, delivered_at AS DeliveredAt, finished_at AS FinishedAt, created_at AS CreatedAt
        """;

    public async Task InsertAsync(Webhook webhook, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO webhooks (id, account_id, face, url, events, secret, origin, created_at)
            VALUES (@Id, @AccountId, @Face, @Url, @Events, @Secret, @Origin, @CreatedAt)
            """, webhook, cancellationToken: cancellationToken));
    }

    /// <summary>The account's webhooks on <paramref name="face"/> (every face when null), oldest first.</summary>
    public async Task<IReadOnlyList<Webhook>> ListAsync(long accountId, string? face, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<Webhook>(new CommandDefinition(
            $"SELECT {WebhookColumns} FROM webhooks WHERE account_id = @accountId AND (@face IS NULL OR face = @face) ORDER BY id",
            new { accountId, face }, cancellationToken: cancellationToken))).AsList();
    }

    public async Task<Webhook?> FindAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Webhook>(new CommandDefinition(
            $"SELECT {WebhookColumns} FROM webhooks WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>Deletes the webhook and its deliveries; their jobs still queued then find nothing and end.</summary>
    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM webhook_deliveries WHERE webhook_id = @id", new { id }, transaction, cancellationToken: cancellationToken));
        var deleted = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM webhooks WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken)) > 0;
        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    /// <summary>The deliveries and their jobs, in one transaction.</summary>
    public async Task InsertDeliveriesAsync(IReadOnlyList<WebhookDelivery> deliveries, CancellationToken cancellationToken = default)
    {
        await using var work = await jobs.BeginAsync(cancellationToken);
        foreach (var delivery in deliveries)
        {
            await work.Connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO webhook_deliveries (id, webhook_id, event, body, state, round, attempts, next_attempt_at, created_at)
                VALUES (@Id, @WebhookId, @Event, @Body, @State, @Round, @Attempts, @NextAttemptAt, @CreatedAt)
                """, delivery, work.Transaction, cancellationToken: cancellationToken));
            await EnqueueAsync(work, delivery, cancellationToken);
        }
        await work.CommitAsync(cancellationToken);
    }

    /// <summary>The webhook's deliveries, newest first.</summary>
    public async Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync(long webhookId, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<WebhookDelivery>(new CommandDefinition(
            $"SELECT {DeliveryColumns} FROM webhook_deliveries WHERE webhook_id = @webhookId ORDER BY id DESC LIMIT @limit",
            new { webhookId, limit }, cancellationToken: cancellationToken))).AsList();
    }

    public async Task<WebhookDelivery?> FindDeliveryAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<WebhookDelivery>(new CommandDefinition(
            $"SELECT {DeliveryColumns} FROM webhook_deliveries WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>Writes how an attempt went, unless a newer round began meanwhile; false then.</summary>
    public async Task<bool> RecordAttemptAsync(WebhookDelivery delivery, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE webhook_deliveries
               SET state = @State, attempts = @Attempts, last_status = @LastStatus, last_error = @LastError,
                   next_attempt_at = @NextAttemptAt, delivered_at = @DeliveredAt, finished_at = @FinishedAt
             WHERE id = @Id AND round = @Round
            """, delivery, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>
    /// A new round of attempts, starting now, with its job: a job of the round before finds its round
    /// over and ends. Returns the delivery as it is now, or null when it is gone.
    /// </summary>
    public async Task<WebhookDelivery?> RetryAsync(long id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var work = await jobs.BeginAsync(cancellationToken);
        var delivery = await work.Connection.QuerySingleOrDefaultAsync<WebhookDelivery>(new CommandDefinition($"""
            UPDATE webhook_deliveries SET state = 'pending', round = round + 1, attempts = 0, next_attempt_at = @now, delivered_at = NULL,
                   finished_at = NULL
             WHERE id = @id
            RETURNING {DeliveryColumns}
            """, new { id, now = now.ToString("O") }, work.Transaction, cancellationToken: cancellationToken));
        if (delivery is null) return null;
        await EnqueueAsync(work, delivery, cancellationToken);
        await work.CommitAsync(cancellationToken);
        return delivery;
    }

    /// <summary>
    /// Deletes the deliveries that finished (delivered, or failed for good) before
    /// <paramref name="before"/>; pending ones stay, however old. Returns how many went.
    /// </summary>
    public async Task<int> DeleteFinishedAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        // finished_at is written as the clock's UTC time in round-trip format, so the text's order is the time's (on both engines).
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition("""
            DELETE FROM webhook_deliveries WHERE state IN ('delivered', 'failed') AND finished_at < @before
            """, new { before = before.ToUniversalTime().ToString("O") }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Owned by the webhook, not by the account: one webhook's deliveries go one at a time, and
    /// never take a turn from the account's media jobs.
    /// </summary>
    private static Task EnqueueAsync(JobTransaction work, WebhookDelivery delivery, CancellationToken cancellationToken) =>
        work.EnqueueAsync(WebhookDeliveryJobs.JobKind, WebhookDeliveryJobs.Subject(delivery),
            "webhook:" + delivery.WebhookId.ToString(CultureInfo.InvariantCulture), cancellationToken);
}
