using System.Net;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Webhooks;

/// <summary>A receiver that fails at first: the delivery is tried again on the configured delays, and may be retried by hand.</summary>
public sealed class WebhookRetryTests(WebhookApp app) : IClassFixture<WebhookApp>
{
    [Fact]
    public async Task A_receiver_answering_500_twice_gets_the_same_signed_body_a_third_time_and_the_list_shows_three_attempts()
    {
        await using var receiver = await WebhookReceiver.StartAsync(n => n <= 2 ? 500 : 200);
        var user = await app.NewUserAsync();
        var created = await user.CreateWebhookAsync(receiver.Url, "media.processed");
        var secret = created.Json.GetProperty("secret").GetString()!;
        await user.UploadAsync(Fixtures.Path("600x400.jpg"));

        var third = await receiver.WaitForAsync("media.processed", count: 3);
        var delivered = await user.WaitForDeliveryAsync(created.Id, "delivered");
        Assert.Equal(3, delivered.GetProperty("attempts").GetInt32());
        Assert.Equal(200, delivered.GetProperty("last_status").GetInt32());
        var bodies = receiver.Received.Select(d => (d.Body, d.DeliveryId)).Distinct().ToList();
        Assert.Single(bodies);
        Assert.True(third.IsSignedWith(secret));
    }

    [Fact]
    public async Task A_receiver_that_keeps_failing_is_given_up_after_the_last_delay_and_a_retry_sends_it_again()
    {
        var failing = true;
        await using var receiver = await WebhookReceiver.StartAsync(_ => Volatile.Read(ref failing) ? 503 : 204);
        var user = await app.NewUserAsync();
        var created = await user.CreateWebhookAsync(receiver.Url, "media.processed");
        await user.UploadAsync(Fixtures.Path("600x400.jpg"));

        // Three delays of a second: four attempts in all.
        var failed = await user.WaitForDeliveryAsync(created.Id, "failed");
        Assert.Equal(4, failed.GetProperty("attempts").GetInt32());
        Assert.Equal(503, failed.GetProperty("last_status").GetInt32());
        Assert.Equal("the receiver answered HTTP 503", failed.GetProperty("last_error").GetString());
        Assert.Equal(4, receiver.Received.Count);

        Volatile.Write(ref failing, false);
        var deliveryId = failed.GetProperty("id").GetString()!;
        var retried = await Answer.FromAsync(await user.Client.PostAsync($"/api/v1/mediary/webhooks/{created.Id}/deliveries/{deliveryId}/retry", null));
        Assert.Equal(HttpStatusCode.OK, retried.Status);
        Assert.Equal("pending", retried.Json.GetProperty("state").GetString());
        var delivered = await user.WaitForDeliveryAsync(created.Id, "delivered");
        Assert.Equal(1, delivered.GetProperty("attempts").GetInt32());
        Assert.Equal(204, delivered.GetProperty("last_status").GetInt32());
        Assert.Equal(5, receiver.Received.Count);

        var unknown = await Answer.FromAsync(await user.Client.PostAsync($"/api/v1/mediary/webhooks/{created.Id}/deliveries/1/retry", null));
        unknown.AssertError(HttpStatusCode.NotFound, "Record not found");
    }
}
