using System.Net.Http.Json;

namespace Mediary.Tests.Infrastructure;

/// <summary>The webhook endpoints of both faces, as a client calls them.</summary>
public static class WebhookCalls
{
    public static async Task<Answer> CreateWebhookAsync(this User user, string url, params string[] events) =>
        await Answer.FromAsync(await user.Client.PostAsJsonAsync("/api/v1/mediary/webhooks", new { url, events }));

    public static async Task<Answer> WebhookDeliveriesAsync(this User user, string webhookId) =>
        await Answer.FromAsync(await user.Client.GetAsync($"/api/v1/mediary/webhooks/{webhookId}/deliveries"));

    public static async Task<DirectAnswer> CreateWebhookAsync(this DirectUser user, string url, params string[] events) =>
        await DirectAnswer.FromAsync(await user.Client.PostAsJsonAsync("/v1/webhooks", new { url, events }));

    public static async Task<DirectAnswer> WebhookDeliveriesAsync(this DirectUser user, string webhookId) =>
        await DirectAnswer.FromAsync(await user.Client.GetAsync($"/v1/webhooks/{webhookId}/deliveries"));

    /// <summary>Polls the deliveries (Mastodon face) until the newest is in <paramref name="state"/>; returns it.</summary>
    public static async Task<System.Text.Json.JsonElement> WaitForDeliveryAsync(this User user, string webhookId, string state)
    {
        System.Text.Json.JsonElement newest = default;
        var reached = await Polling.UntilAsync(async () =>
        {
            var list = (await user.WebhookDeliveriesAsync(webhookId)).Json;
            if (list.GetArrayLength() == 0) return false;
            newest = list[0];
            return newest.GetProperty("state").GetString() == state;
        }, TimeSpan.FromSeconds(60));
        Assert.True(reached, $"delivery not {state}: {newest}");
        return newest;
    }
}
