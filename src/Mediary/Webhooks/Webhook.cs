namespace Mediary.Webhooks;

/// <summary>
/// A URL an account registered, through one face, for some of that face's events. The secret is
/// kept as it is (as Mastodon keeps its webhook secrets): every delivery is signed with it, so it
/// cannot be stored as a hash. It is shown once, when the webhook is created.
/// </summary>
public sealed class Webhook
{
    public long Id { get; set; }
    public long AccountId { get; set; }

    /// <summary>One of <see cref="WebhookFaces"/>: whose media, and whose JSON, it gets.</summary>
    public string Face { get; set; } = WebhookFaces.Mastodon;
    public string Url { get; set; } = "";

    /// <summary>The events, comma-separated.</summary>
    public string Events { get; set; } = "";
    public string Secret { get; set; } = "";

    /// <summary>
    /// The scheme and host the webhook was registered through: media URLs in its bodies start there
    /// when <c>Mediary:PublicBaseUrl</c> is unset, as they would in that request's answers. Null
    /// from the CLI (URLs are then relative, under <c>/system</c>).
    /// </summary>
    public string? Origin { get; set; }
    public string CreatedAt { get; set; } = "";

    public IReadOnlyList<string> EventList => Events.Split(',', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>One event for one webhook: its body, fixed when the event happened, and how sending it went.</summary>
public sealed class WebhookDelivery
{
    public long Id { get; set; }
    public long WebhookId { get; set; }
    public string Event { get; set; } = "";

    /// <summary>The JSON sent, byte for byte the same on every attempt (and so its signature).</summary>
    public string Body { get; set; } = "";

    /// <summary>One of <see cref="DeliveryStates"/>.</summary>
    public string State { get; set; } = DeliveryStates.Pending;

    /// <summary>Counts the rounds of attempts: a retry asked for by the owner starts a new one, and jobs of an earlier round stop.</summary>
    public long Round { get; set; } = 1;

    /// <summary>Attempts made in this round.</summary>
    public long Attempts { get; set; }

    /// <summary>The HTTP status of the last attempt; null when it got none (refused, timed out, unreachable).</summary>
    public long? LastStatus { get; set; }
    public string? LastError { get; set; }
    public string? NextAttemptAt { get; set; }
    public string? DeliveredAt { get; set; }

    /// <summary>When it was delivered or failed for good; null while pending. Pruned from then on (<see cref="WebhookOptions.DeliveryRetentionDays"/>).</summary>
    public string? FinishedAt { get; set; }
    public string CreatedAt { get; set; } = "";
}

public static class WebhookFaces
{
    public const string Mastodon = "mastodon";
    public const string Direct = "direct";

    /// <summary>The events each face offers: Mastodon's processing vocabulary, the direct face's status names.</summary>
    public static IReadOnlyList<string> EventsOf(string face) => face == Direct
        ? [WebhookEvents.Ready, WebhookEvents.Failed, WebhookEvents.Deleted]
        : [WebhookEvents.Processed, WebhookEvents.Failed, WebhookEvents.Deleted];
}

public static class WebhookEvents
{
    public const string Processed = "media.processed";
    public const string Ready = "media.ready";
    public const string Failed = "media.failed";
    public const string Deleted = "media.deleted";
}

public static class DeliveryStates
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
}
