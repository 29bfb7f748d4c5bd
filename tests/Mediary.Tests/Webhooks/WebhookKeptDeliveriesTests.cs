using Mediary.Tests.Infrastructure;
using Mediary.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Mediary.Tests.Webhooks;

/// <summary>Webhooks:DeliveryRetentionDays 0: the pruning deletes nothing, however long ago deliveries finished.</summary>
public sealed class WebhookKeptDeliveriesTests(KeepDeliveriesApp app) : IClassFixture<KeepDeliveriesApp>
{
    [Fact]
    public async Task With_a_retention_of_0_finished_deliveries_ten_years_old_are_kept()
    {
        await using var answering = await WebhookReceiver.StartAsync();
        await using var failing = await WebhookReceiver.StartAsync(_ => 503);
        var user = await app.NewUserAsync();
        var delivering = (await user.CreateWebhookAsync(answering.Url, "media.processed")).Id;
        var giving = (await user.CreateWebhookAsync(failing.Url, "media.processed")).Id;
        await user.UploadAsync(Fixtures.Path("600x400.jpg"));
        var delivered = (await user.WaitForDeliveryAsync(delivering, "delivered")).GetProperty("id").GetString();
        var failed = (await user.WaitForDeliveryAsync(giving, "failed")).GetProperty("id").GetString();

        app.Clock.Advance(TimeSpan.FromDays(3650));
        var pruned = await app.Services.GetRequiredService<WebhookDeliveryPruning>().RunAsync();

        Assert.Equal(0, pruned);
        Assert.Equal([delivered], Ids(await user.WebhookDeliveriesAsync(delivering)));
        Assert.Equal([failed], Ids(await user.WebhookDeliveriesAsync(giving)));
    }

    private static List<string?> Ids(Answer deliveries) =>
        deliveries.Json.EnumerateArray().Select(delivery => delivery.GetProperty("id").GetString()).ToList();
}
