using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Webhooks;

/// <summary>A receiver that hangs: the attempt ends at Webhooks:TimeoutSeconds and is tried again.</summary>
public sealed class WebhookTimeoutTests(ShortWebhookTimeoutApp app) : IClassFixture<ShortWebhookTimeoutApp>
{
    [Fact]
    public async Task A_hanging_receiver_times_out_and_the_next_attempt_delivers()
    {
        await using var receiver = await WebhookReceiver.StartAsync(n => n == 1 ? null : 200);
        var user = await app.NewUserAsync();
        var created = await user.CreateWebhookAsync(receiver.Url, "media.processed");
        var started = DateTime.UtcNow;
        var upload = await user.UploadAsync(Fixtures.Path("600x400.jpg"));
        // The upload's answer does not wait for the delivery.
        Assert.Equal(System.Net.HttpStatusCode.OK, upload.Status);

        var delivered = await user.WaitForDeliveryAsync(created.Id, "delivered");
        Assert.Equal(2, delivered.GetProperty("attempts").GetInt32());
        Assert.Equal(2, receiver.Received.Count);
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(2), "one timeout of 1 s and one delay of 1 s come first");
    }

    [Fact]
    public async Task A_receiver_that_always_hangs_leaves_the_delivery_failed_with_the_timeout_as_its_error()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_ => null);
        var user = await app.NewUserAsync();
        var created = await user.CreateWebhookAsync(receiver.Url, "media.processed");
        await user.UploadAsync(Fixtures.Path("600x400.jpg"));

        var failed = await user.WaitForDeliveryAsync(created.Id, "failed");
        Assert.Equal(3, failed.GetProperty("attempts").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, failed.GetProperty("last_status").ValueKind);
        Assert.Equal("no answer within 1 s", failed.GetProperty("last_error").GetString());
    }
}
