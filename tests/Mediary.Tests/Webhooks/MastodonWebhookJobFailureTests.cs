using System.Net;
using System.Text.Json;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Webhooks;

/// <summary>A video whose job fails for good: the Mastodon face's webhooks hear media.failed, and the API shows the media failed.</summary>
public sealed class MastodonWebhookJobFailureTests(FailingTranscodeWebhookApp app) : IClassFixture<FailingTranscodeWebhookApp>
{
    [Fact]
    public async Task A_video_whose_transcode_keeps_failing_sends_media_failed_signed_and_the_media_answers_422()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var user = await app.NewUserAsync();
        var created = await user.CreateWebhookAsync(receiver.Url, "media.processed", "media.failed");
        Assert.Equal(HttpStatusCode.OK, created.Status);
        var secret = created.Json.GetProperty("secret").GetString()!;

        var upload = await user.UploadAsync(LongVideo.Path720pHalfMinute);
        Assert.Equal(HttpStatusCode.Accepted, upload.Status);
        var failed = await receiver.WaitForAsync("media.failed", TimeSpan.FromMinutes(2));

        Assert.True(failed.IsSignedWith(secret), $"signature {failed.Signature} does not match the body");
        Assert.Equal("media.failed", failed.Json.GetProperty("event").GetString());
        var media = failed.Json.GetProperty("object");
        Assert.Equal(upload.Id, media.GetProperty("id").GetString());
        Assert.Equal("video", media.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, media.GetProperty("url").ValueKind);
        Assert.DoesNotContain(receiver.Received, delivery => delivery.Event == "media.processed");

        // Mastodon's check_processing: a media whose processing failed answers 422 on show.
        (await user.GetMediaAsync(upload.Id)).AssertError(HttpStatusCode.UnprocessableEntity, "Error processing thumbnail for uploaded media");
        var delivered = await user.WaitForDeliveryAsync(created.Id, "delivered");
        Assert.Equal("media.failed", delivered.GetProperty("event").GetString());
    }
}
