using System.Net;
using Mediary.Auth;
using Mediary.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Mediary.Tests.Webhooks;

/// <summary>Webhooks registered through the direct face: in the envelope, with the direct face's events and JSON.</summary>
public sealed class DirectWebhookTests(WebhookApp app) : IClassFixture<WebhookApp>
{
    [Fact]
    public async Task A_completed_image_sends_media_ready_and_its_deletion_media_deleted_with_the_direct_json()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var user = await app.NewDirectUserAsync();
        var created = await user.CreateWebhookAsync(receiver.Url, "media.ready", "media.failed", "media.deleted");
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var secret = created.Data.GetProperty("secret").GetString()!;
        var webhookId = created.Data.GetProperty("id").GetString()!;

        var image = await user.UploadDirectAsync(Fixtures.Path("600x400.jpg"), "image/jpeg");
        Assert.Equal("ready", image.MediaStatus);
        var ready = await receiver.WaitForAsync("media.ready");
        Assert.True(ready.IsSignedWith(secret));
        var shown = (await user.GetDirectMediaAsync(image.MediaId)).Data;
        Assert.Equal(shown.ToString(), ready.Json.GetProperty("object").ToString());

        Assert.Equal(HttpStatusCode.OK, (await user.Client.DeleteAsync($"/v1/media/{image.MediaId}")).StatusCode);
        var deleted = await receiver.WaitForAsync("media.deleted");
        Assert.Equal(image.MediaId, deleted.Json.GetProperty("object").GetProperty("media_id").GetString());

        var deliveries = await user.WebhookDeliveriesAsync(webhookId);
        Assert.Equal(["media.deleted", "media.ready"], deliveries.Data.EnumerateArray().Select(d => d.GetProperty("event").GetString()));
        var list = await DirectAnswer.FromAsync(await user.Client.GetAsync("/v1/webhooks"));
        Assert.Equal([webhookId], list.Data.EnumerateArray().Select(w => w.GetProperty("id").GetString()));
        Assert.False(list.Data[0].TryGetProperty("secret", out _));
    }

    [Fact]
    public async Task A_direct_video_sends_media_ready_after_its_job()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var user = await app.NewDirectUserAsync();
        Assert.Equal(HttpStatusCode.Created, (await user.CreateWebhookAsync(receiver.Url, "media.ready")).Status);

        var video = await user.UploadDirectAsync(Fixtures.Path("webm-with-audio.webm"), "video/webm");
        var ready = (await receiver.WaitForAsync("media.ready")).Json.GetProperty("object");
        Assert.Equal(video.MediaId, ready.GetProperty("media_id").GetString());
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        Assert.EndsWith(".mp4", ready.GetProperty("url").GetString());
    }

    [Fact]
    public async Task A_file_that_fails_verification_sends_media_failed_signed_with_the_failed_media()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var user = await app.NewDirectUserAsync();
        var created = await user.CreateWebhookAsync(receiver.Url, "media.ready", "media.failed");
        Assert.Equal(HttpStatusCode.Created, created.Status);

        // Sound only, declared as a video: refused when completed (by a job where storage is S3).
        var declared = await user.DeclareAndPutAsync(Fixtures.Path("audio-only.webm"), "video/webm");
        await user.CompleteAsync(declared.MediaId);
        var failed = await receiver.WaitForAsync("media.failed");
        Assert.True(failed.IsSignedWith(created.Data.GetProperty("secret").GetString()!));
        var media = failed.Json.GetProperty("object");
        Assert.Equal(declared.MediaId, media.GetProperty("media_id").GetString());
        Assert.Equal("failed", media.GetProperty("status").GetString());
        Assert.DoesNotContain(receiver.Received, delivery => delivery.Event == "media.ready");
    }

    [Fact]
    public async Task Each_face_hears_only_of_its_own_media()
    {
        await using var mastodonReceiver = await WebhookReceiver.StartAsync();
        await using var directReceiver = await WebhookReceiver.StartAsync();
        var direct = await app.NewDirectUserAsync();
        var token = await app.Services.GetRequiredService<TokenStore>().CreateAsync(direct.Account.Id, "read write");
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var mastodon = new User(direct.Account, token, client);
        Assert.Equal(HttpStatusCode.OK, (await mastodon.CreateWebhookAsync(mastodonReceiver.Url, "media.processed")).Status);
        Assert.Equal(HttpStatusCode.Created, (await direct.CreateWebhookAsync(directReceiver.Url, "media.ready")).Status);

        var directImage = await direct.UploadDirectAsync(Fixtures.Path("600x400.jpg"), "image/jpeg");
        var mastodonImage = await mastodon.UploadAsync(Fixtures.Path("600x400.jpg"));

        Assert.Equal(directImage.MediaId, (await directReceiver.WaitForAsync("media.ready")).Json.GetProperty("object").GetProperty("media_id").GetString());
        Assert.Equal(mastodonImage.Id, (await mastodonReceiver.WaitForAsync("media.processed")).Json.GetProperty("object").GetProperty("id").GetString());
        Assert.Single(directReceiver.Received);
        Assert.Single(mastodonReceiver.Received);
    }

    [Fact]
    public async Task Registration_errors_are_validation_errors_in_the_envelope()
    {
        var user = await app.NewDirectUserAsync();
        var badUrl = await user.CreateWebhookAsync("not a url", "media.ready");
        Assert.Equal(HttpStatusCode.BadRequest, badUrl.Status);
        Assert.Equal("validation_error", badUrl.ErrorCode);
        Assert.Equal("url", badUrl.Json.GetProperty("error").GetProperty("details").GetProperty("field").GetString());
        var badEvent = await user.CreateWebhookAsync("https://example.com/hook", "media.processed");
        Assert.Equal("validation_error", badEvent.ErrorCode);
        Assert.Equal("Events must be one or more of media.ready, media.failed, media.deleted.", badEvent.ErrorMessage);
        var missing = await DirectAnswer.FromAsync(await user.Client.GetAsync("/v1/webhooks/123/deliveries"));
        Assert.Equal("not_found", missing.ErrorCode);
    }
}
