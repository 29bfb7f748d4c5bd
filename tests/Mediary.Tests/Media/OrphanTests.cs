using System.Net;
using Mediary.Direct;
using Mediary.Media;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Media;

/// <summary>
/// <c>remove-orphans</c> on the data of a running server (local disk, or the bucket in the suite's
/// second run): files no record refers to, as a process killed between storing a file and
/// writing its record leaves them, go; every file in use stays.
/// </summary>
public sealed class OrphanTests(MediaryApp app) : IClassFixture<MediaryApp>
{
    private Tools.Result Cli(params string[] args) => app.RunCli(args);

    private async Task StoreAsync(string key, string text)
    {
        var file = Path.Combine(app.DataDirectory, Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(file, text);
        await app.Storage.PutFileAsync(key, file, "application/octet-stream");
    }

    [Fact]
    public async Task Files_no_record_refers_to_are_listed_on_a_dry_run_then_removed_and_every_file_in_use_stays()
    {
        var user = await app.NewUserAsync();
        var image = await user.UploadAsync(Fixtures.Path("600x400.jpg"));
        var video = await user.WaitUntilProcessedAsync((await user.UploadAsync(Fixtures.Path("webm-with-audio.webm"))).Id);
        var direct = await app.NewDirectUserAsync();
        var pdf = await direct.GetDirectMediaAsync(
            (await direct.UploadDirectAsync(Fixtures.Path("document.pdf"), "application/pdf")).MediaId);
        Assert.Equal("ready", pdf.MediaStatus);
        var waiting = await direct.DeclareFileAsync(Fixtures.Path("600x400.png"), "image/png");
        Assert.Equal(HttpStatusCode.OK,
            (await direct.PutFileAsync(waiting.Data.GetProperty("upload_url").GetString()!, Fixtures.Path("600x400.png"), "image/png")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, image.Status);

        // What a crash between storing files and writing their record leaves, and a rendition its record no longer names.
        const long neverRecorded = 112_233_445_566_778_899;
        string[] orphans =
        [
            MediaKeys.Original(neverRecorded, "0123456789abcdef", "jpeg"),
            MediaKeys.Source(neverRecorded, "0123456789abcdef", "webm"),
            MediaKeys.Small(long.Parse(image.Id), "fedcba9876543210", "jpeg"),
            $"media_attachments/documents/{Guid.NewGuid()}/original/0123456789abcdef.pdf",
            DirectMedia.UploadKeyFor(Guid.NewGuid().ToString()),
        ];
        foreach (var key in orphans) await StoreAsync(key, "left behind");
        // Not a key Mediary writes: not Mediary's to judge.
        await StoreAsync("media_attachments/operator-notes.txt", "keep me");

        var young = Cli("remove-orphans");
        Assert.True(young.ExitCode == 0, young.Stderr);
        Assert.Equal("removed 0 orphaned files (0 bytes)\n", young.Stdout);

        var dryRun = Cli("remove-orphans", "--dry-run", "--min-age-minutes", "0");
        Assert.True(dryRun.ExitCode == 0, dryRun.Stderr);
        var listed = dryRun.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"would remove 5 orphaned files ({5 * "left behind".Length} bytes)", listed[^1]);
        Assert.Equal(orphans.Order(StringComparer.Ordinal), listed[..^1].Select(line => line.Split('\t')[0]).Order(StringComparer.Ordinal));
        Assert.All(listed[..^1], line => Assert.EndsWith($"\t{"left behind".Length}", line));
        foreach (var key in orphans) Assert.True(await app.Storage.ExistsAsync(key), $"{key} was removed by a dry run");

        var run = Cli("remove-orphans", "--min-age-minutes", "0");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.EndsWith($"removed 5 orphaned files ({5 * "left behind".Length} bytes)\n", run.Stdout);
        foreach (var key in orphans) Assert.False(await app.Storage.ExistsAsync(key), $"{key} is still stored");
        Assert.True(await app.Storage.ExistsAsync("media_attachments/operator-notes.txt"));

        // Everything in use is still served, and the upload waiting for complete still completes.
        foreach (var url in new[] { image.Url, image.PreviewUrl, video.Url, video.PreviewUrl,
                     pdf.Data.GetProperty("url").GetString()!, pdf.Data.GetProperty("thumbnail_url").GetString()! })
        {
            Assert.Equal(HttpStatusCode.OK, (await app.FetchAsync(url)).StatusCode);
        }
        Assert.Equal("ready", (await direct.CompleteAsync(waiting.MediaId)).MediaStatus);
        Assert.Equal("removed 0 orphaned files (0 bytes)\n", Cli("remove-orphans", "--min-age-minutes", "0").Stdout);
    }
}
