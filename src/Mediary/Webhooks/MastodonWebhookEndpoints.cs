using Mediary.Direct;
using Mediary.Mastodon;

namespace Mediary.Webhooks;

/// <summary>
/// The Mastodon face's webhooks, under Mediary's own prefix <c>/api/v1/mediary</c> (Mastodon's
/// webhooks are an admin's, for server events; these are an account's, for its media): create and
/// delete with scope <c>write</c>, read with <c>read</c>; Mastodon's error format.
/// </summary>
public static class MastodonWebhookEndpoints
{
    public static IEndpointRouteBuilder MapMastodonWebhooks(this IEndpointRouteBuilder app)
    {
        var webhooks = app.MapGroup("/api/v1/mediary/webhooks").AddEndpointFilter<MastodonErrorFilter>().DisableAntiforgery();

        webhooks.MapPost("", async (HttpContext http, WebhookRegistrations registrations, CancellationToken ct) =>
        {
            var parameters = await RequestParams.ReadAsync(http.Request, ct);
            var events = parameters.List("events") ?? [];
            // events as one string: comma- or space-separated.
            if (!parameters.IsList("events")) events = events.SelectMany(e => e.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries)).ToList();
            try
            {
                var created = await registrations.CreateAsync(MastodonAuthFilter.AccountId(http), WebhookFaces.Mastodon, parameters["url"], events,
                    $"{http.Request.Scheme}://{http.Request.Host}", ct);
                return Json(WebhookJson.Of(created, withSecret: true));
            }
            catch (WebhookValidationException e)
            {
                return MastodonErrors.Error(StatusCodes.Status422UnprocessableEntity, "Validation failed: " + Capitalized(e.Message));
            }
        }).RequireScopes("write");

        webhooks.MapGet("", async (HttpContext http, WebhookRegistrations registrations, CancellationToken ct) =>
            Json((await registrations.ListAsync(MastodonAuthFilter.AccountId(http), WebhookFaces.Mastodon, ct)).Select(w => WebhookJson.Of(w))))
            .RequireScopes("read");

        webhooks.MapGet("/{id}", async (string id, HttpContext http, WebhookRegistrations registrations, CancellationToken ct) =>
            await FindAsync(http, registrations, id, ct) is { } webhook ? Json(WebhookJson.Of(webhook)) : NotFound())
            .RequireScopes("read");

        webhooks.MapDelete("/{id}", async (string id, HttpContext http, WebhookRegistrations registrations, CancellationToken ct) =>
        {
            if (await FindAsync(http, registrations, id, ct) is not { } webhook) return NotFound();
            await registrations.DeleteAsync(webhook, ct);
            return Results.Text("{}", "application/json; charset=utf-8");
        }).RequireScopes("write");

        webhooks.MapGet("/{id}/deliveries", async (string id, HttpContext http, WebhookRegistrations registrations, CancellationToken ct) =>
            await FindAsync(http, registrations, id, ct) is { } webhook
                ? Json((await registrations.DeliveriesAsync(webhook, cancellationToken: ct)).Select(WebhookJson.Of))
                : NotFound())
            .RequireScopes("read");

        webhooks.MapPost("/{id}/deliveries/{deliveryId}/retry", async (string id, string deliveryId, HttpContext http,
            WebhookRegistrations registrations, CancellationToken ct) =>
            await FindAsync(http, registrations, id, ct) is { } webhook && await registrations.RetryAsync(webhook, deliveryId, ct) is { } delivery
                ? Json(WebhookJson.Of(delivery))
                : NotFound())
            .RequireScopes("write");
        return app;
    }

    private static Task<Webhook?> FindAsync(HttpContext http, WebhookRegistrations registrations, string id, CancellationToken ct) =>
        registrations.FindAsync(MastodonAuthFilter.AccountId(http), WebhookFaces.Mastodon, id, ct);

    private static IResult Json(object value) => Results.Json(value, DirectEnvelope.Json, "application/json; charset=utf-8");

    private static IResult NotFound() => MastodonErrors.Error(StatusCodes.Status404NotFound, MastodonErrors.NotFound);

    private static string Capitalized(string sentence) => sentence.Length == 0 ? sentence : char.ToUpperInvariant(sentence[0]) + sentence[1..];
}
