using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Webhooks;

/// <summary>The CLI's webhooks commands, run as their own process on a running server's data.</summary>
public sealed class WebhookCliTests(MediaryApp app) : IClassFixture<MediaryApp>
{
    [Fact]
    public async Task Create_prints_the_id_and_secret_and_list_deliveries_and_delete_follow()
    {
        var user = await app.NewDirectUserAsync();
        var name = user.Account.Username;
        var created = app.RunCli("webhooks", "create", "--account", name, "--url", "https://example.com/hook", "--events", "media.ready,media.deleted",
            "--face", "direct");
        Assert.True(created.ExitCode == 0, created.Stderr);
        var fields = created.Stdout.Trim().Split('\t');
        Assert.Equal(2, fields.Length);
        Assert.Matches("^[0-9a-f]{64}$", fields[1]);
        var id = fields[0];

        var listed = app.RunCli("webhooks", "list", "--account", name);
        Assert.Contains($"{id}\tdirect\thttps://example.com/hook\tmedia.ready,media.deleted", listed.Stdout);
        Assert.DoesNotContain(fields[1], listed.Stdout);
        var shown = await DirectAnswer.FromAsync(await user.Client.GetAsync($"/v1/webhooks/{id}"));
        Assert.Equal("https://example.com/hook", shown.Data.GetProperty("url").GetString());

        var deliveries = app.RunCli("webhooks", "deliveries", id);
        Assert.Equal((0, ""), (deliveries.ExitCode, deliveries.Stdout));
        Assert.Equal(0, app.RunCli("webhooks", "delete", id).ExitCode);
        Assert.Equal(1, app.RunCli("webhooks", "delete", id).ExitCode);

        var refused = app.RunCli("webhooks", "create", "--account", name, "--url", "https://example.com/hook", "--events", "media.processed",
            "--face", "direct");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("events must be one or more of media.ready, media.failed, media.deleted", refused.Stderr);
    }
}
