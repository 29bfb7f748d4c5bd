using Mediary.Direct;
using Mediary.Media;
using Mediary.Web;

namespace Mediary.Webhooks;

/// <summary>
/// Turns media events into deliveries: for each webhook of the media's owner on the media's face
/// (a record with a <see cref="MediaAttachment.DirectId"/> is the direct face's) that asked for the
/// event, a delivery row with its body, fixed now, and its job, written in one transaction just
/// after the change the event tells of. Without such webhooks an event costs one indexed query.
/// Nothing here throws into the upload or the job that told it: a failure is logged and that event
/// is not delivered (so is one whose process dies between the change and this write).
/// </summary>
public sealed class WebhookEventRecorder(WebhookStore store, DirectMediaRepository directRecords, MediaUrls urls, TimeProvider clock,
    ILogger<WebhookEventRecorder> logger) : IMediaEvents, IDirectMediaEvents
{
    public async Task ProcessingEndedAsync(MediaAttachment media)
    {
        if (media.Processing is not (ProcessingStates.Complete or ProcessingStates.Failed)) return;
        var failed = media.Processing == ProcessingStates.Failed;
        if (media.DirectId is null)
        {
            await RecordAsync(media.AccountId, WebhookFaces.Mastodon, failed ? WebhookEvents.Failed : WebhookEvents.Processed,
                baseUrl => WebhookBodies.Mastodon(media, baseUrl), media.Id);
            return;
        }
        try
        {
            if (await directRecords.FindForUploadAsync(media.DirectId, clock.GetUtcNow().ToUnixTimeSeconds(), CancellationToken.None) is not { } upload)
            {
                return;
            }
            // The job may end before complete has marked its upload handed over: the event says what it became.
            upload.Status = failed ? DirectStates.Failed : DirectStates.Ready;
            await SettledAsync(new DirectMediaView(upload, media));
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not record the webhook event of direct media {DirectId}", media.DirectId);
        }
    }

    public Task DeletedAsync(MediaAttachment media) =>
        RecordAsync(media.AccountId, WebhookFaces.Mastodon, WebhookEvents.Deleted, baseUrl => WebhookBodies.Mastodon(media, baseUrl), media.Id);

    public Task SettledAsync(DirectMediaView media) => media.Status switch
    {
        DirectStates.Ready => RecordAsync(media.Media.AccountId, WebhookFaces.Direct, WebhookEvents.Ready,
            baseUrl => WebhookBodies.Direct(media, baseUrl), media.Media.Id),
        DirectStates.Failed => RecordAsync(media.Media.AccountId, WebhookFaces.Direct, WebhookEvents.Failed,
            baseUrl => WebhookBodies.Direct(media, baseUrl), media.Media.Id),
        _ => Task.CompletedTask,
    };

    public Task DeletedAsync(DirectMediaView media) =>
        RecordAsync(media.Media.AccountId, WebhookFaces.Direct, WebhookEvents.Deleted, baseUrl => WebhookBodies.Direct(media, baseUrl), media.Media.Id);

    private async Task RecordAsync(long accountId, string face, string eventName, Func<string, object> render, object mediaId)
    {
        try
        {
            var webhooks = (await store.ListAsync(accountId, face)).Where(webhook => webhook.EventList.Contains(eventName)).ToList();
            if (webhooks.Count == 0) return;
            var now = clock.GetUtcNow();
            var deliveries = webhooks.Select(webhook => new WebhookDelivery
            {
                Id = Data.SnowflakeId.Next(),
                WebhookId = webhook.Id,
                Event = eventName,
                Body = WebhookBodies.Envelope(eventName, now, render(urls.BaseFor(webhook.Origin))),
                State = DeliveryStates.Pending,
                Round = 1,
                NextAttemptAt = now.ToString("O"),
                CreatedAt = now.ToString("O"),
            }).ToList();
            await store.InsertDeliveriesAsync(deliveries);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not record the webhook event {Event} of media {MediaId}", eventName, mediaId);
        }
    }
}
