using System.Globalization;
using System.Text.Json.Serialization;
using Mediary.Direct;

namespace Mediary.Webhooks;

/// <summary>The webhook and delivery shapes both faces answer (snake_case on the wire).</summary>
public static class WebhookJson
{
    public sealed record WebhookView(string Id, string Url, IReadOnlyList<string> Events, string CreatedAt,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Secret);

    public sealed record DeliveryView(string Id, string Event, string State, long Attempts, long? LastStatus, string? LastError,
        string? NextAttemptAt, string? DeliveredAt, string CreatedAt);

    /// <summary>A webhook; <paramref name="withSecret"/> only in the answer that creates it.</summary>
    public static WebhookView Of(Webhook webhook, bool withSecret = false) => new(Id(webhook.Id), webhook.Url, webhook.EventList,
        Time(webhook.CreatedAt)!, withSecret ? webhook.Secret : null);

    public static DeliveryView Of(WebhookDelivery delivery) => new(Id(delivery.Id), delivery.Event, delivery.State, delivery.Attempts,
        delivery.LastStatus, delivery.LastError, delivery.State == DeliveryStates.Pending ? Time(delivery.NextAttemptAt) : null,
        Time(delivery.DeliveredAt), Time(delivery.CreatedAt)!);

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>Stored round-trip times as ISO 8601 UTC with milliseconds, as both faces write times.</summary>
    public static string? Time(string? stored) =>
        stored is null ? null : DirectEnvelope.Timestamp(DateTimeOffset.Parse(stored, CultureInfo.InvariantCulture));
}
