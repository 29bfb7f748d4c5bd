using System.Net;
using Mediary.Tests.Infrastructure;
using Mediary.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Mediary.Tests.Webhooks;

/// <summary>Without Webhooks:AllowPrivateAddresses, loopback and private addresses are refused at registration and at delivery.</summary>
public sealed class WebhookPrivateAddressTests(MediaryApp app) : IClassFixture<MediaryApp>
{
    [Theory]
    [InlineData("http://127.0.0.1:8080/hook")]
    [InlineData("http://localhost/hook")]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://[::ffff:192.168.0.1]/hook")]
    public async Task A_literal_private_address_is_refused_at_registration_on_both_faces(string url)
    {
        var user = await app.NewUserAsync();
        (await user.CreateWebhookAsync(url, "media.processed")).AssertError(HttpStatusCode.UnprocessableEntity,
            "Validation failed: Url points to a loopback, link-local or private address, which webhooks may not reach.");
        var direct = await app.NewDirectUserAsync();
        var refused = await direct.CreateWebhookAsync(url, "media.ready");
        Assert.Equal("validation_error", refused.ErrorCode);
    }

    [Fact]
    public async Task A_name_that_leads_to_loopback_when_delivering_is_refused_on_the_address_connected_to()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var user = await app.NewUserAsync();
        // As if the name had resolved to a public address when registered and to loopback now (DNS
        // rebinding): the row is written past the registration check.
        var port = new Uri(receiver.Url).Port;
        var webhook = new Webhook
        {
            Id = Mediary.Data.SnowflakeId.Next(),
            AccountId = user.Account.Id,
            Face = WebhookFaces.Mastodon,
            Url = $"http://localhost:{port}/hook",
            Events = "media.processed",
            Secret = "s",
            CreatedAt = DateTimeOffset.UtcNow.ToString("O"),
        };
        await app.Services.GetRequiredService<WebhookStore>().InsertAsync(webhook);

        await user.UploadAsync(Fixtures.Path("600x400.jpg"));
        JsonElementHolder newest = new();
        Assert.True(await Polling.UntilAsync(async () =>
        {
            var list = (await user.WebhookDeliveriesAsync(webhook.Id.ToString())).Json;
            if (list.GetArrayLength() == 0 || list[0].GetProperty("attempts").GetInt32() == 0) return false;
            newest.Value = list[0];
            return true;
        }, TimeSpan.FromSeconds(30)));
        var delivery = newest.Value;
        Assert.Equal("pending", delivery.GetProperty("state").GetString());
        Assert.Contains("refused", delivery.GetProperty("last_error").GetString());
        Assert.Contains("127.0.0.1", delivery.GetProperty("last_error").GetString());
        Assert.Empty(receiver.Received);
    }

    private sealed class JsonElementHolder
    {
        public System.Text.Json.JsonElement Value { get; set; }
    }
}
