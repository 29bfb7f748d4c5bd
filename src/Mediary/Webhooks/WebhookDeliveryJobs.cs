using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Mediary.Jobs;
using Microsoft.Extensions.Options;

namespace Mediary.Webhooks;

/// <summary>
/// Sends deliveries (jobs of kind <see cref="JobKind"/>, subject <c>delivery-id:round</c>): one POST
/// per run, signed as Mastodon signs its webhooks, within <see cref="WebhookOptions.TimeoutSeconds"/>,
/// so a delivery holds a worker for seconds at most. A 2xx answer delivers it. Any other answer, a
/// refused address, a timeout or an unreachable host is one attempt spent: the delivery row counts
/// its attempts (the job's own, <c>Jobs:MaxAttempts</c>, count only runs that crashed), and the job
/// is put back for the next of <see cref="WebhookOptions.RetryDelaysSeconds"/>, until none is left
/// and the delivery is failed. A job of a round its delivery has left (a retry started a new one),
/// or of a delivery or webhook deleted meanwhile, ends without sending.
/// </summary>
public sealed class WebhookDeliveryJobs(WebhookStore store, WebhookHttp http, IOptions<WebhookOptions> options, TimeProvider clock,
    ILogger<WebhookDeliveryJobs> logger) : IJobHandler
{
    public const string JobKind = "webhook.deliver";

    /// <summary>The signature header, as Mastodon's Webhooks::DeliveryWorker sends it.</summary>
    public const string SignatureHeader = "X-Hub-Signature";

    public const string DeliveryHeader = "X-Mediary-Delivery";
    public const string EventHeader = "X-Mediary-Event";

    public string Kind => JobKind;

    public static string Subject(WebhookDelivery delivery) =>
        string.Create(CultureInfo.InvariantCulture, $"{delivery.Id}:{delivery.Round}");

    /// <summary>Mastodon: <c>sha256=</c> and the hex HMAC-SHA256 of the raw body, keyed with the webhook's secret.</summary>
    public static string Signature(string secret, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    public async Task RunAsync(string subject, CancellationToken cancellationToken)
    {
        var (id, round) = Parse(subject);
        var delivery = await store.FindDeliveryAsync(id, cancellationToken);
        if (delivery is null || delivery.Round != round || delivery.State != DeliveryStates.Pending) return;
        var webhook = await store.FindAsync(delivery.WebhookId, cancellationToken);
        if (webhook is null) return;

        var (status, error) = await SendAsync(webhook, delivery, cancellationToken);
        var now = clock.GetUtcNow();
        delivery.Attempts++;
        delivery.LastStatus = status;
        delivery.LastError = error;
        var delays = options.Value.RetryDelays;
        TimeSpan? retry = error is null || delivery.Attempts > delays.Count ? null : delays[(int)delivery.Attempts - 1];
        delivery.State = error is null ? DeliveryStates.Delivered : retry is null ? DeliveryStates.Failed : DeliveryStates.Pending;
        delivery.DeliveredAt = error is null ? now.ToString("O") : null;
        delivery.NextAttemptAt = retry is { } wait ? (now + wait).ToString("O") : null;
        delivery.FinishedAt = delivery.State == DeliveryStates.Pending ? null : now.ToString("O");
        // A retry asked for meanwhile started a round of its own, with its own job.
        if (!await store.RecordAttemptAsync(delivery, CancellationToken.None)) return;
        if (error is null) return;
        logger.LogInformation("Webhook delivery {DeliveryId} to webhook {WebhookId} failed (attempt {Attempt} of {Max}): {Error}",
            delivery.Id, webhook.Id, delivery.Attempts, delays.Count + 1, error);
        if (retry is { } delay) throw new RunAgainLaterException(delay, $"webhook delivery attempt {delivery.Attempts} failed: {error}");
    }

    /// <summary>One POST: the status it got (null: none) and why it failed (null: delivered).</summary>
    private async Task<(long? Status, string? Error)> SendAsync(Webhook webhook, WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var timeout = TimeSpan.FromSeconds(options.Value.TimeoutSeconds);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url)
        {
            Content = new StringContent(delivery.Body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Mediary", null));
        request.Headers.TryAddWithoutValidation(SignatureHeader, Signature(webhook.Secret, delivery.Body));
        request.Headers.TryAddWithoutValidation(DeliveryHeader, delivery.Id.ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation(EventHeader, delivery.Event);
        try
        {
            using var response = await http.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token);
            var status = (int)response.StatusCode;
            return (status, status is >= 200 and < 300 ? null : $"the receiver answered HTTP {status}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"no answer within {options.Value.TimeoutSeconds} s");
        }
        catch (HttpRequestException e)
        {
            var refused = e as RefusedAddressException ?? e.InnerException as RefusedAddressException;
            return (null, refused?.Message ?? e.Message);
        }
    }

    /// <summary>Out of job attempts (its runs crashed): the delivery is failed.</summary>
    public async Task GiveUpAsync(string subject, string reason, CancellationToken cancellationToken)
    {
        var (id, round) = Parse(subject);
        if (await store.FindDeliveryAsync(id, cancellationToken) is not { State: DeliveryStates.Pending } delivery || delivery.Round != round) return;
        delivery.State = DeliveryStates.Failed;
        delivery.LastError = reason;
        delivery.NextAttemptAt = null;
        delivery.FinishedAt = clock.GetUtcNow().ToString("O");
        await store.RecordAttemptAsync(delivery, cancellationToken);
    }

    private static (long Id, long Round) Parse(string subject)
    {
        var parts = subject.Split(':');
        return (long.Parse(parts[0], CultureInfo.InvariantCulture), parts.Length > 1 ? long.Parse(parts[1], CultureInfo.InvariantCulture) : 1);
    }
}
