using System.Text.Json.Nodes;
using Mediary.Webhooks;
using Microsoft.OpenApi;
using static Mediary.OpenApi.MastodonExamples;
using static Mediary.OpenApi.Shapes;

namespace Mediary.OpenApi;

/// <summary>Mediary's own webhooks on the Mastodon face (<see cref="MastodonWebhookEndpoints"/>), under <c>/api/v1/mediary</c>.</summary>
internal sealed partial class MastodonApiDocument
{
    private static readonly string[] MastodonEvents = [.. WebhookFaces.EventsOf(WebhookFaces.Mastodon)];

    private static void AddWebhookSchemas(IDictionary<string, IOpenApiSchema> schemas)
    {
        var events = OneOf(MastodonEvents);
        schemas["Webhook"] = Object(
            [
                ("id", Text()),
                ("url", Text(format: "uri")),
                ("events", ArrayOf(events)),
                ("created_at", Text(format: "date-time")),
                ("secret", Text("The signing secret (64 hex digits), only in the answer that creates the webhook.")),
            ],
            ["id", "url", "events", "created_at"]);
        schemas["WebhookDelivery"] = Object(
            ("id", Text("Also the X-Mediary-Delivery header of every attempt.")),
            ("event", events),
            ("state", OneOf(DeliveryStates.Pending, DeliveryStates.Delivered, DeliveryStates.Failed)),
            ("attempts", Integer()),
            ("last_status", Integer("The receiver's last HTTP status; null when no answer came.").OrNull()),
            ("last_error", Text().OrNull()),
            ("next_attempt_at", Text("While pending.", "date-time").OrNull()),
            ("delivered_at", Text(format: "date-time").OrNull()),
            ("created_at", Text(format: "date-time")));
    }

    private Dictionary<string, Func<OpenApiOperation>> WebhookOperations()
    {
        var webhookId = Id("The webhook's id.", WebhookId);
        Failure[] notFound = [.. TokenFailures(), NotFound];
        return new()
        {
            ["POST /api/v1/mediary/webhooks"] = CreateWebhook,

            ["GET /api/v1/mediary/webhooks"] = () => Operation("listWebhooks", "Webhooks", "List webhooks",
                "The account's webhooks registered on this face (those of the direct face are not listed).",
                Scopes("read"),
                Answers([Json(StatusCodes.Status200OK, "The webhooks, without their secrets.", ArrayOf(Ref("Webhook")), $"[{MastodonExamples.Webhook}]")],
                    TokenFailures())),

            ["GET /api/v1/mediary/webhooks/{id}"] = () => Operation("getWebhook", "Webhooks", "Get a webhook",
                "One of the account's webhooks, without its secret.",
                Scopes("read"),
                Answers([Json(StatusCodes.Status200OK, "The webhook.", Ref("Webhook"), MastodonExamples.Webhook)], notFound),
                [webhookId]),

            ["DELETE /api/v1/mediary/webhooks/{id}"] = () => Operation("deleteWebhook", "Webhooks", "Delete a webhook",
                "No more events are sent to it; its deliveries go too.",
                Scopes("write"),
                Answers([EmptyObject("Deleted: an empty object.")], notFound),
                [webhookId]),

            ["GET /api/v1/mediary/webhooks/{id}/deliveries"] = () => Operation("listWebhookDeliveries", "Webhooks", "List a webhook's deliveries",
                "The newest 100, newest first, with their attempts and the receiver's last answer.",
                Scopes("read"),
                Answers([Json(StatusCodes.Status200OK, "The deliveries.", ArrayOf(Ref("WebhookDelivery")), $"[{Delivery}]")], notFound),
                [webhookId]),

            ["POST /api/v1/mediary/webhooks/{id}/deliveries/{deliveryId}/retry"] = () => Operation("retryWebhookDelivery", "Webhooks",
                "Retry a delivery",
                "Sends the delivery again now, in any state, with a new round of attempts (counted from 0); the body is the same, byte for byte.",
                Scopes("write"),
                Answers([Json(StatusCodes.Status200OK, "The delivery, queued again.", Ref("WebhookDelivery"),
                    Delivery.Replace("\"attempts\": 1", "\"attempts\": 0", StringComparison.Ordinal)
                        .Replace("\"last_error\": \"Name or service not known (hooks.example:443)\"", "\"last_error\": null", StringComparison.Ordinal)
                        .Replace("2026-04-10T12:11:01.740Z", "2026-04-10T12:15:00.000Z", StringComparison.Ordinal))],
                    [.. TokenFailures(), Fail(404, Mastodon.MastodonErrors.NotFound)]),
                [
                    webhookId,
                    new OpenApiParameter
                    {
                        Name = "deliveryId", In = ParameterLocation.Path, Required = true, Description = "The delivery's id.", Schema = Text(),
                        Example = JsonValue.Create(DeliveryId),
                    },
                ]),
        };
    }

    private OpenApiOperation CreateWebhook()
    {
        var url = Text("An absolute http or https URL (https recommended), at most 2048 characters, no user name or password, not a " +
            "loopback, link-local or private address.", "uri");
        var list = ArrayOf(OneOf(MastodonEvents), "The events to send.");
        var separated = Text("The events as one string, comma- or space-separated.");
        var json = new JsonObject { ["url"] = "https://hooks.example/mediary", ["events"] = new JsonArray("media.processed", "media.deleted") };
        var form = new JsonObject { ["url"] = "https://hooks.example/mediary", ["events[]"] = new JsonArray("media.processed", "media.deleted") };
        return Operation("createWebhook", "Webhooks", "Register a webhook",
            "Events about the account's media on this face are POSTed to url as {event, created_at, object} (object as GET " +
            "/api/v1/media/{id} shows it), signed with X-Hub-Signature: sha256=HMAC-SHA256(secret, body) in hex. The secret is " +
            "answered here only. At most 20 webhooks per account, both faces together.",
            Scopes("write"),
            Answers([Json(StatusCodes.Status200OK, "The webhook, with its secret.", Ref("Webhook"),
                MastodonExamples.Webhook.TrimEnd().TrimEnd('}') + ", \"secret\": \"351669415e4c5c990ff8a1018590dd3415fb0ac3c520cf8f1aa95e62c6189db4\"}")],
            [
                .. TokenFailures(),
                BadBody,
                TooLarge,
                Fail(422, "Validation failed: Url is required: the http or https URL to POST events to."),
                Fail(422, "Validation failed: Url must be an absolute http or https URL, e.g. https://example.com/hooks/mediary."),
                Fail(422, "Validation failed: Url may not carry a user name or password."),
                Fail(422, "Validation failed: Url points to a loopback, link-local or private address, which webhooks may not reach."),
                Fail(422, $"Validation failed: Events must be one or more of {string.Join(", ", MastodonEvents)}."),
                Fail(422, $"Validation failed: An account may have at most {WebhookRegistrations.MaxWebhooksPerAccount} webhooks; delete one first."),
            ]),
            body: new OpenApiRequestBody
            {
                Required = true,
                Description = "Form fields or JSON; the query string is read too.",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new()
                    {
                        Schema = Object([("url", url), ("events", new OpenApiSchema { OneOf = [list, separated] })], ["url", "events"]),
                        Example = json,
                    },
                    ["application/x-www-form-urlencoded"] = new()
                    {
                        Schema = Object([("url", url), ("events[]", list), ("events", separated)], ["url"]),
                        Example = form,
                    },
                },
            });
    }
}
