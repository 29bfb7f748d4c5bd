using Mediary.Direct;

namespace Mediary.Webhooks;

/// <summary>The direct face's webhooks under <c>/v1/webhooks</c>: the API key, the envelope and its errors (<see cref="DirectApiMiddleware"/>).</summary>
public static class DirectWebhookEndpoints
{
    public static IEndpointRouteBuilder MapDirectWebhooks(this IEndpointRouteBuilder app)
    {
        var webhooks = app.MapGroup("/v1/webhooks").DisableAntiforgery();

        webhooks.MapPost("", async (HttpContext http, WebhookRegistrations registrations, CancellationToken ct) =>
        {
            var body = await DirectRequests.ReadObjectAsync(http.Request, ct);
            var url = DirectRequests.OptionalString(body, "url");
            var events = body.TryGetProperty("events", out var given) && given.ValueKind == System.Text.Json.JsonValueKind.String
                ? given.GetString()!.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries)
                : StringArray(body, "events");
            try
            {
                var created = await registrations.CreateAsync(DirectApiMiddleware.AccountId(http), WebhookFaces.Direct, url, events,
                    $"{http.Request.Scheme}://{http.Request.Host}", ct);
                return DirectEnvelope.Ok(WebhookJson.Of(created, withSecret: true), StatusCodes.Status201Created);
            }
            catch (WebhookValidationException e)
            {
                throw DirectApiException.Validation(e.Field, Capitalized(e.Message));
            }
        });

        webhooks.MapGet("", async (HttpContext http, WebhookRegistrations registrations, CancellationToken ct) =>
            DirectEnvelope.Ok((await registrations.ListAsync(DirectApiMiddleware.AccountId(http), WebhookFaces.Direct, ct))
                .Select(w => WebhookJson.Of(w)).ToList()));

        webhooks.MapGet("/{id}", async (string id, HttpContext http, WebhookRegistrations registrations, CancellationToken ct) =>
            DirectEnvelope.Ok(WebhookJson.Of(await FindAsync(http, registrations, id, ct))));

        webhooks.MapDelete("/{id}", async (string id, HttpContext http, WebhookRegistrations registrations, CancellationToken ct) =>
        {
            await registrations.DeleteAsync(await FindAsync(http, registrations, id, ct), ct);
            return DirectEnvelope.Ok(new { id, deleted = true });
        });

        webhooks.MapGet("/{id}/deliveries", async (string id, HttpContext http, WebhookRegistrations registrations, CancellationToken ct) =>
            DirectEnvelope.Ok((await registrations.DeliveriesAsync(await FindAsync(http, registrations, id, ct), cancellationToken: ct))
                .Select(WebhookJson.Of).ToList()));

        webhooks.MapPost("/{id}/deliveries/{deliveryId}/retry", async (string id, string deliveryId, HttpContext http,
            WebhookRegistrations registrations, CancellationToken ct) =>
            DirectEnvelope.Ok(WebhookJson.Of(await registrations.RetryAsync(await FindAsync(http, registrations, id, ct), deliveryId, ct)
                ?? throw DirectApiException.NotFound("Delivery"))));
        return app;
    }

    private static async Task<Webhook> FindAsync(HttpContext http, WebhookRegistrations registrations, string id, CancellationToken ct) =>
        await registrations.FindAsync(DirectApiMiddleware.AccountId(http), WebhookFaces.Direct, id, ct) ?? throw DirectApiException.NotFound("Webhook");

    private static IReadOnlyList<string> StringArray(System.Text.Json.JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == System.Text.Json.JsonValueKind.Null) return [];
        if (value.ValueKind != System.Text.Json.JsonValueKind.Array || value.EnumerateArray().Any(item => item.ValueKind != System.Text.Json.JsonValueKind.String))
        {
            throw DirectApiException.Validation(name, $"{name} must be an array of event names, e.g. [\"media.ready\"].");
        }
        return value.EnumerateArray().Select(item => item.GetString()!).ToList();
    }

    private static string Capitalized(string sentence) => sentence.Length == 0 ? sentence : char.ToUpperInvariant(sentence[0]) + sentence[1..];
}
