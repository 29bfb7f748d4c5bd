using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Mediary.Webhooks;

/// <summary>A registration refused, with the field at fault and a sentence; each face words it its own way.</summary>
public sealed class WebhookValidationException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

/// <summary>
/// Registering, listing and removing webhooks, and retrying a delivery: the one core both faces and
/// the CLI call. A URL is checked here (absolute http or https, no user info, not a literal address
/// that deliveries would refuse); where a host name leads is checked at every delivery.
/// </summary>
public sealed class WebhookRegistrations(WebhookStore store, IOptions<WebhookOptions> options, TimeProvider clock)
{
    public const int MaxUrlLength = 2048;
    public const int MaxWebhooksPerAccount = 20;

    /// <summary>Registers a webhook; the answer carries its secret, which is not shown again.</summary>
    public async Task<Webhook> CreateAsync(long accountId, string face, string? url, IReadOnlyList<string> events, string? origin,
        CancellationToken cancellationToken = default)
    {
        var target = CheckUrl(url);
        var offered = WebhookFaces.EventsOf(face);
        var wanted = events.Select(e => e.Trim()).Where(e => e.Length > 0).Distinct().ToList();
        if (wanted.Count == 0 || wanted.Any(e => !offered.Contains(e)))
        {
            throw new WebhookValidationException("events", $"events must be one or more of {string.Join(", ", offered)}.");
        }
        if ((await store.ListAsync(accountId, null, cancellationToken)).Count >= MaxWebhooksPerAccount)
        {
            throw new WebhookValidationException("url", $"an account may have at most {MaxWebhooksPerAccount} webhooks; delete one first.");
        }
        var webhook = new Webhook
        {
            Id = Data.SnowflakeId.Next(),
            AccountId = accountId,
            Face = face,
            Url = target.AbsoluteUri,
            Events = string.Join(',', offered.Where(wanted.Contains)),
            Secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            Origin = origin,
            CreatedAt = clock.GetUtcNow().ToString("O"),
        };
        await store.InsertAsync(webhook, cancellationToken);
        return webhook;
    }

    private Uri CheckUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) throw new WebhookValidationException("url", "url is required: the http or https URL to POST events to.");
        if (url.Length > MaxUrlLength) throw new WebhookValidationException("url", $"url may be at most {MaxUrlLength} characters.");
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var target) || (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps)
            || target.Host.Length == 0)
        {
            throw new WebhookValidationException("url", "url must be an absolute http or https URL, e.g. https://example.com/hooks/mediary.");
        }
        if (target.UserInfo.Length > 0) throw new WebhookValidationException("url", "url may not carry a user name or password.");
        if (!options.Value.AllowPrivateAddresses)
        {
            var literal = IPAddress.TryParse(target.DnsSafeHost, out var address) ? address : null;
            if (target.IsLoopback || (literal is not null && !AddressRules.IsPublic(literal)))
            {
                throw new WebhookValidationException("url", "url points to a loopback, link-local or private address, which webhooks may not reach.");
            }
        }
        return target;
    }

    public Task<IReadOnlyList<Webhook>> ListAsync(long accountId, string face, CancellationToken cancellationToken = default) =>
        store.ListAsync(accountId, face, cancellationToken);

    /// <summary>The account's webhook on <paramref name="face"/> with this id, or null.</summary>
    public async Task<Webhook?> FindAsync(long accountId, string face, string id, CancellationToken cancellationToken = default) =>
        long.TryParse(id, out var numeric) && await store.FindAsync(numeric, cancellationToken) is { } found
            && found.AccountId == accountId && found.Face == face ? found : null;

    public Task<bool> DeleteAsync(Webhook webhook, CancellationToken cancellationToken = default) => store.DeleteAsync(webhook.Id, cancellationToken);

    public Task<IReadOnlyList<WebhookDelivery>> DeliveriesAsync(Webhook webhook, int limit = 100, CancellationToken cancellationToken = default) =>
        store.ListDeliveriesAsync(webhook.Id, limit, cancellationToken);

    /// <summary>Sends the delivery again now, with a new round of attempts; null when the webhook has no such delivery.</summary>
    public async Task<WebhookDelivery?> RetryAsync(Webhook webhook, string deliveryId, CancellationToken cancellationToken = default)
    {
        if (!long.TryParse(deliveryId, out var id) || await store.FindDeliveryAsync(id, cancellationToken) is not { } delivery
            || delivery.WebhookId != webhook.Id)
        {
            return null;
        }
        return await store.RetryAsync(id, clock.GetUtcNow(), cancellationToken);
    }
}
