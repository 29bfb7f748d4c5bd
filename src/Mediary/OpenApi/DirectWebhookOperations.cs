using Mediary.Direct;
using Mediary.Webhooks;
using Microsoft.OpenApi;
using static Mediary.OpenApi.Shapes;

namespace Mediary.OpenApi;

/// <summary>The direct face's webhooks (<see cref="DirectWebhookEndpoints"/>).</summary>
internal sealed partial class DirectApiDocument
{
    private const string WebhookId = "7318624571290624";
    private const string DeliveryId = "7318624571294720";
    private const string WebhookExample = $$"""
        {"id": "{{WebhookId}}", "url": "https://app.example/hooks/mediary", "events": ["media.ready", "media.failed"], "created_at": "2026-04-10T12:00:00.000Z"}
        """;
    private const string DeliveryExample = $$"""
        {"id": "{{DeliveryId}}", "event": "media.ready", "state": "delivered", "attempts": 1, "last_status": 200, "last_error": null,
         "next_attempt_at": null, "delivered_at": "2026-04-10T12:00:01.000Z", "created_at": "2026-04-10T12:00:00.000Z"}
        """;

    private static void AddWebhookSchemas(IDictionary<string, IOpenApiSchema> schemas)
    {
        var events = OneOf([.. WebhookFaces.EventsOf(WebhookFaces.Direct)]);
        schemas["WebhookRequest"] = Object(
            [("url", Text("Where to POST the events: an absolute http or https URL (https recommended), not a private address.", "uri")), ("events", ArrayOf(events, "The events to send."))],
            ["url", "events"]);
        schemas["Webhook"] = Object(
            [
                ("id", Text()),
                ("url", Text(format: "uri")),
                ("events", ArrayOf(events)),
                ("created_at", Text(format: "date-time")),
                ("secret", Text("The signing secret, only in the answer that creates the webhook.")),
            ],
            ["id", "url", "events", "created_at"]);
        schemas["WebhookDelivery"] = Object(
            ("id", Text()),
            ("event", Text()),
            ("state", Text("The delivery's state, e.g. pending, delivered or failed.")),
            ("attempts", Integer()),
            ("last_status", Integer("The receiver's last HTTP status.").OrNull()),
            ("last_error", Text().OrNull()),
            ("next_attempt_at", Text(format: "date-time").OrNull()),
            ("delivered_at", Text(format: "date-time").OrNull()),
            ("created_at", Text(format: "date-time")));
        schemas["WebhookDeleted"] = Object(("id", Text()), ("deleted", Boolean()));
    }

    private Dictionary<string, Func<OpenApiOperation>> WebhookOperations()
    {
        (string, string, string?)[] notFound = [(DirectErrorCodes.NotFound, "Webhook not found.", null)];
        return new()
        {
            ["POST /v1/webhooks"] = () => Keyed("createWebhook", "Webhooks", "Register a webhook",
                "Events are POSTed to url, signed with the secret answered here (only here).",
                body: Json(Ref("WebhookRequest"), """{"url": "https://app.example/hooks/mediary", "events": ["media.ready", "media.failed"]}"""),
                ok: ("201", "The webhook, with its secret.", Ref("Webhook"),
                    WebhookExample.TrimEnd().TrimEnd('}') + ", \"secret\": \"whsec_5f1d0c9b8a7e6d5c4b3a2f1e0d9c8b7a\"}"),
                errors:
                [
                    (DirectErrorCodes.ValidationError, "Url must be an absolute http or https URL, e.g. https://example.com/hooks/mediary.", "url"),
                    (DirectErrorCodes.UnsupportedMediaType, "Send the body as JSON, with Content-Type: application/json.", null),
                ]),
            ["GET /v1/webhooks"] = () => Keyed("listWebhooks", "Webhooks", "List webhooks", "The key's account's webhooks on this face.",
                ok: ("200", "The webhooks.", ArrayOf(Ref("Webhook")), $"[{WebhookExample}]"), errors: []),
            ["GET /v1/webhooks/{id}"] = () => Keyed("getWebhook", "Webhooks", "Get a webhook", "One webhook.",
                parameters: [PathId("The webhook's id.", WebhookId)],
                ok: ("200", "The webhook.", Ref("Webhook"), WebhookExample), errors: notFound),
            ["DELETE /v1/webhooks/{id}"] = () => Keyed("deleteWebhook", "Webhooks", "Delete a webhook", "No more events are sent to it.",
                parameters: [PathId("The webhook's id.", WebhookId)],
                ok: ("200", "Deleted.", Ref("WebhookDeleted"), $$"""{"id": "{{WebhookId}}", "deleted": true}"""), errors: notFound),
            ["GET /v1/webhooks/{id}/deliveries"] = () => Keyed("listWebhookDeliveries", "Webhooks", "List a webhook's deliveries",
                "The newest deliveries with their attempts and the receiver's last answer.",
                parameters: [PathId("The webhook's id.", WebhookId)],
                ok: ("200", "The deliveries.", ArrayOf(Ref("WebhookDelivery")), $"[{DeliveryExample}]"), errors: notFound),
            ["POST /v1/webhooks/{id}/deliveries/{deliveryId}/retry"] = () => Keyed("retryWebhookDelivery", "Webhooks", "Retry a delivery",
                "Sends the delivery again.",
                parameters:
                [
                    PathId("The webhook's id.", WebhookId),
                    new OpenApiParameter
                    {
                        Name = "deliveryId", In = ParameterLocation.Path, Required = true, Description = "The delivery's id.", Schema = Text(),
                        Example = System.Text.Json.Nodes.JsonValue.Create(DeliveryId),
                    },
                ],
                ok: ("200", "The delivery, queued again.", Ref("WebhookDelivery"), DeliveryExample),
                errors: [(DirectErrorCodes.NotFound, "Delivery not found.", null)]),
        };
    }
}
