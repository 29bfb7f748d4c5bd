using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Webhooks;

/// <summary>The periodic vacuum deletes deliveries finished longer ago than Webhooks:DeliveryRetentionDays (30 by default), never pending ones.</summary>
public sealed class WebhookPruningTests(WebhookPruningApp app) : IClassFixture<WebhookPruningApp>
{
    [Fact]
    public async Task Finished_deliveries_older_than_30_days_are_pruned_while_newer_and_pending_ones_stay()
    {
        await using var answering = await WebhookReceiver.StartAsync();
        await using var failing = await WebhookReceiver.StartAsync(_ => 503);
        await using var silent = await WebhookReceiver.StartAsync(_ => null);
        var user = await app.NewUserAsync();
        var delivering = (await user.CreateWebhookAsync(answering.Url, "media.processed")).Id;
        var giving = (await user.CreateWebhookAsync(failing.Url, "media.processed")).Id;
        var waiting = (await user.CreateWebhookAsync(silent.Url, "media.processed")).Id;

        await user.UploadAsync(Fixtures.Path("600x400.jpg"));
        var oldDelivered = (await user.WaitForDeliveryAsync(delivering, "delivered")).GetProperty("id").GetString();
        var oldFailed = (await user.WaitForDeliveryAsync(giving, "failed")).GetProperty("id").GetString();
        var oldPending = (await user.WaitForDeliveryAsync(waiting, "pending")).GetProperty("id").GetString();
        await silent.WaitForAsync("media.processed");

        app.Clock.Advance(TimeSpan.FromDays(20));
        await user.UploadAsync(Fixtures.Path("600x400.jpg"));
        var newDelivered = (await user.WaitForDeliveryAsync(delivering, "delivered")).GetProperty("id").GetString();
        var newFailed = (await user.WaitForDeliveryAsync(giving, "failed")).GetProperty("id").GetString();
        Assert.NotEqual(oldDelivered, newDelivered);
        Assert.NotEqual(oldFailed, newFailed);

        // The first ones are now 31 days old, the second ones 11.
        app.Clock.Advance(TimeSpan.FromDays(11));
        var pruned = await Polling.UntilAsync(async () =>
            Ids(await user.WebhookDeliveriesAsync(delivering)).SequenceEqual([newDelivered]), TimeSpan.FromSeconds(30));

        Assert.True(pruned, $"still listed: {string.Join(", ", Ids(await user.WebhookDeliveriesAsync(delivering)))}");
        Assert.Equal([newFailed], Ids(await user.WebhookDeliveriesAsync(giving)));
        var pending = (await user.WebhookDeliveriesAsync(waiting)).Json.EnumerateArray().ToList();
        Assert.Equal(2, pending.Count);
        Assert.Equal(oldPending, pending[^1].GetProperty("id").GetString());
        Assert.All(pending, delivery => Assert.Equal("pending", delivery.GetProperty("state").GetString()));
    }

    private static List<string?> Ids(Answer deliveries) =>
        deliveries.Json.EnumerateArray().Select(delivery => delivery.GetProperty("id").GetString()).ToList();
}
