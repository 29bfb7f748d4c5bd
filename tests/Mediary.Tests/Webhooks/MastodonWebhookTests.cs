using System.Net;
using System.Text.Json;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Webhooks;

/// <summary>Webhooks registered through the Mastodon face: its events, signed, with Mastodon's JSON of the media.</summary>
public sealed class MastodonWebhookTests(WebhookApp app) : IClassFixture<WebhookApp>
{
    [Fact]
    public async Task An_image_upload_sends_media_processed_signed_with_the_secret_and_the_media_as_the_api_shows_it()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var user = await app.NewUserAsync();
        var created = await user.CreateWebhookAsync(receiver.Url, "media.processed", "media.deleted");
        Assert.Equal(HttpStatusCode.OK, created.Status);
        Assert.Equal(["id", "url", "events", "created_at", "secret"], created.Json.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["media.processed", "media.deleted"], created.Json.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        var secret = created.Json.GetProperty("secret").GetString()!;
        var webhookId = created.Id;

        var upload = await user.UploadAsync(Fixtures.Path("600x400.jpg"));
        Assert.Equal(HttpStatusCode.OK, upload.Status);
        var delivery = await receiver.WaitForAsync("media.processed");

        Assert.True(delivery.IsSignedWith(secret), $"signature {delivery.Signature} does not match the body");
        Assert.StartsWith("application/json", delivery.ContentType);
        Assert.StartsWith("Mediary", delivery.UserAgent);
        Assert.Equal(["event", "created_at", "object"], delivery.Json.EnumerateObject().Select(p => p.Name));
        Assert.Equal("media.processed", delivery.Json.GetProperty("event").GetString());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", delivery.Json.GetProperty("created_at").GetString());
        var shown = (await user.GetMediaAsync(upload.Id)).Json;
        Assert.Equal(shown.ToString(), delivery.Json.GetProperty("object").ToString());

        var delivered = await user.WaitForDeliveryAsync(webhookId, "delivered");
        Assert.Equal(delivery.DeliveryId, delivered.GetProperty("id").GetString());
        Assert.Equal(1, delivered.GetProperty("attempts").GetInt32());
        Assert.Equal(200, delivered.GetProperty("last_status").GetInt32());
        Assert.Equal(JsonValueKind.Null, delivered.GetProperty("next_attempt_at").ValueKind);
        Assert.Equal(JsonValueKind.String, delivered.GetProperty("delivered_at").ValueKind);

        // The list shows no secret: it was shown once.
        var list = await Answer.FromAsync(await user.Client.GetAsync("/api/v1/mediary/webhooks"));
        Assert.False(list.Json[0].TryGetProperty("secret", out _));
    }

    [Fact]
    public async Task A_video_sends_media_processed_once_its_job_is_done_and_a_deletion_sends_media_deleted()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var user = await app.NewUserAsync();
        Assert.Equal(HttpStatusCode.OK, (await user.CreateWebhookAsync(receiver.Url, "media.processed", "media.failed", "media.deleted")).Status);

        var upload = await user.UploadAsync(Fixtures.Path("webm-with-audio.webm"));
        Assert.Equal(HttpStatusCode.Accepted, upload.Status);
        var processed = (await receiver.WaitForAsync("media.processed")).Json.GetProperty("object");
        Assert.Equal(upload.Id, processed.GetProperty("id").GetString());
        Assert.Equal("video", processed.GetProperty("type").GetString());
        Assert.EndsWith(".mp4", processed.GetProperty("url").GetString());
        Assert.Equal((await user.WaitUntilProcessedAsync(upload.Id)).Json.ToString(), processed.ToString());

        Assert.Equal(HttpStatusCode.OK, (await user.Client.DeleteAsync($"/api/v1/media/{upload.Id}")).StatusCode);
        var deleted = (await receiver.WaitForAsync("media.deleted")).Json.GetProperty("object");
        Assert.Equal(upload.Id, deleted.GetProperty("id").GetString());
        Assert.Single(receiver.Received, d => d.Event == "media.processed");
    }

    [Fact]
    public async Task Only_the_events_asked_for_are_sent()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var user = await app.NewUserAsync();
        Assert.Equal(HttpStatusCode.OK, (await user.CreateWebhookAsync(receiver.Url, "media.deleted")).Status);
        var upload = await user.UploadAsync(Fixtures.Path("600x400.jpg"));
        Assert.Equal(HttpStatusCode.OK, (await user.Client.DeleteAsync($"/api/v1/media/{upload.Id}")).StatusCode);

        await receiver.WaitForAsync("media.deleted");
        Assert.Equal(["media.deleted"], receiver.Received.Select(d => d.Event));
    }

    [Fact]
    public async Task Registration_is_checked_and_needs_write_while_reading_needs_read()
    {
        var user = await app.NewUserAsync();
        (await user.CreateWebhookAsync("ftp://example.com/hook", "media.processed")).AssertError(HttpStatusCode.UnprocessableEntity,
            "Validation failed: Url must be an absolute http or https URL, e.g. https://example.com/hooks/mediary.");
        (await user.CreateWebhookAsync("https://example.com/hook", "media.ready")).AssertError(HttpStatusCode.UnprocessableEntity,
            "Validation failed: Events must be one or more of media.processed, media.failed, media.deleted.");

        var reader = await app.NewUserAsync("read");
        (await reader.CreateWebhookAsync("https://example.com/hook", "media.processed")).AssertError(HttpStatusCode.Forbidden,
            "This action is outside the authorized scopes");
        Assert.Equal(HttpStatusCode.OK, (await reader.Client.GetAsync("/api/v1/mediary/webhooks")).StatusCode);
        var writer = await app.NewUserAsync("write");
        (await Answer.FromAsync(await writer.Client.GetAsync("/api/v1/mediary/webhooks"))).AssertError(HttpStatusCode.Forbidden,
            "This action is outside the authorized scopes");

        var created = await user.CreateWebhookAsync("https://example.com/hook", "media.processed");
        var other = await app.NewUserAsync();
        (await Answer.FromAsync(await other.Client.DeleteAsync($"/api/v1/mediary/webhooks/{created.Id}"))).AssertError(HttpStatusCode.NotFound,
            "Record not found");
        Assert.Equal(HttpStatusCode.OK, (await user.Client.DeleteAsync($"/api/v1/mediary/webhooks/{created.Id}")).StatusCode);
        Assert.Equal(0, (await Answer.FromAsync(await user.Client.GetAsync("/api/v1/mediary/webhooks"))).Json.GetArrayLength());
    }

    [Fact]
    public async Task A_form_body_registers_like_json()
    {
        var user = await app.NewUserAsync();
        using var form = new FormUrlEncodedContent([new("url", "https://example.com/hook"), new("events[]", "media.failed"), new("events[]", "media.processed")]);
        var created = await Answer.FromAsync(await user.Client.PostAsync("/api/v1/mediary/webhooks", form));
        Assert.Equal(HttpStatusCode.OK, created.Status);
        Assert.Equal(["media.processed", "media.failed"], created.Json.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
    }
}
