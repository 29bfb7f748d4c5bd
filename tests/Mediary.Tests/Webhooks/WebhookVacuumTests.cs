using Mediary.Media;
using Mediary.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Mediary.Tests.Webhooks;

/// <summary>The vacuum's removals are deletions like any other: the owner's webhooks hear media.deleted.</summary>
public sealed class WebhookVacuumTests(WebhookVacuumApp app) : IClassFixture<WebhookVacuumApp>
{
    [Fact]
    public async Task Media_the_vacuum_removes_are_sent_as_media_deleted()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var user = await app.NewUserAsync();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await user.CreateWebhookAsync(receiver.Url, "media.deleted")).Status);
        var upload = await user.UploadAsync(Fixtures.Path("600x400.jpg"));

        app.Clock.Advance(TimeSpan.FromHours(25));
        var result = await app.Services.GetRequiredService<MediaVacuum>().RunAsync(dryRun: false);

        Assert.Contains(result.Removed, media => media.Id.ToString() == upload.Id);
        var deleted = await receiver.WaitForAsync("media.deleted");
        Assert.Equal(upload.Id, deleted.Json.GetProperty("object").GetProperty("id").GetString());
    }
}
