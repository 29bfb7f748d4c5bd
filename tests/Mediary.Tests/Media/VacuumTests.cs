using System.Net;
using Dapper;
using Mediary.Media;
using Mediary.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Mediary.Tests.Media;

/// <summary>
/// Unattached media older than the TTL (24 h) are removed with their files (Mastodon's
/// MediaAttachmentsVacuum). The vacuum selects by id, which encodes the creation time, so the tests
/// make a freshly uploaded media "old" by rewriting its row in the database file: a new id made
/// from the backdated time (same low 16 bits), and created_at to match. Its files keep their keys.
/// </summary>
public sealed class VacuumTests(NoPeriodicVacuumApp app) : IClassFixture<NoPeriodicVacuumApp>
{
    private Tools.Result Cli(params string[] args) => app.RunCli(args);

    [Fact]
    public async Task Unattached_media_older_than_a_day_is_removed_with_its_files_but_young_or_attached_media_stays()
    {
        var user = await app.NewUserAsync();
        var old = await OldMediaAsync(app, user, TimeSpan.FromDays(2));
        var young = await OldMediaAsync(app, user, TimeSpan.FromHours(1));
        var attached = await OldMediaAsync(app, user, TimeSpan.FromDays(2), statusId: 1);
        Assert.Equal(HttpStatusCode.OK, (await user.GetMediaAsync(old.Id)).Status); // now in the server's row cache

        var result = await app.Services.GetRequiredService<MediaVacuum>().RunAsync(dryRun: false, TestContext.Current.CancellationToken);

        var removed = result.Removed.Select(m => m.Id.ToString()).ToList();
        Assert.Contains(old.Id, removed);
        Assert.DoesNotContain(young.Id, removed);
        Assert.DoesNotContain(attached.Id, removed);
        await AssertGoneAsync(app, user, old);

        Assert.Equal(HttpStatusCode.OK, (await user.GetMediaAsync(young.Id)).Status);
        Assert.True(await RowExistsAsync(app, attached.Id));
        foreach (var kept in new[] { young, attached })
        {
            Assert.True(await app.IsStoredAsync(kept.Url));
            Assert.Equal(HttpStatusCode.OK, (await app.FetchAsync(kept.Url)).StatusCode);
        }
    }

    [Fact]
    public async Task The_cli_lists_on_a_dry_run_and_its_removal_shows_on_the_running_server_at_once()
    {
        var user = await app.NewUserAsync();
        var old = await OldMediaAsync(app, user, TimeSpan.FromDays(2));
        Assert.Equal(HttpStatusCode.OK, (await user.GetMediaAsync(old.Id)).Status); // now in the server's row cache

        var dryRun = Cli("vacuum", "--dry-run");
        Assert.True(dryRun.ExitCode == 0, dryRun.Stderr);
        Assert.Contains($"{old.Id}\t{old.CreatedAt}\timage\n", dryRun.Stdout);
        Assert.Matches(@"would remove \d+ unattached media\n$", dryRun.Stdout);
        Assert.Equal(HttpStatusCode.OK, (await user.GetMediaAsync(old.Id)).Status);
        Assert.True(await app.IsStoredAsync(old.Url));

        // A misspelt switch must not be taken for a real run.
        Assert.NotEqual(0, Cli("vacuum", "--dryrun").ExitCode);
        Assert.True(await RowExistsAsync(app, old.Id));

        var run = Cli("vacuum");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains($"{old.Id}\t{old.CreatedAt}\timage\n", run.Stdout);
        Assert.Matches(@"removed [1-9]\d* unattached media\n$", run.Stdout);
        await AssertGoneAsync(app, user, old);

        var again = Cli("vacuum");
        Assert.DoesNotContain(old.Id, again.Stdout);
    }

    internal sealed record OldMedia(string Id, string CreatedAt, string Url, string PreviewUrl);

    /// <summary>Uploads an image, then backdates its row by <paramref name="age"/> (and attaches it if asked).</summary>
    internal static async Task<OldMedia> OldMediaAsync(MediaryApp app, User user, TimeSpan age, long? statusId = null)
    {
        var upload = await user.UploadAsync(Fixtures.Path("600x400.jpg"));
        Assert.Equal(HttpStatusCode.OK, upload.Status);
        var id = long.Parse(upload.Id);
        var created = DateTimeOffset.UtcNow - age;
        var oldId = (created.ToUnixTimeMilliseconds() << 16) | (id & 0xFFFF);
        var createdAt = created.ToString("O");
        await using var connection = await app.Database.OpenAsync();
        Assert.Equal(1, await connection.ExecuteAsync(
            "UPDATE media_attachments SET id = @oldId, created_at = @createdAt, status_id = @statusId WHERE id = @id",
            new { id, oldId, createdAt, statusId }));
        return new OldMedia(oldId.ToString(), createdAt, upload.Url, upload.PreviewUrl);
    }

    internal static async Task AssertGoneAsync(MediaryApp app, User user, OldMedia media)
    {
        var answer = await user.GetMediaAsync(media.Id);
        answer.AssertError(HttpStatusCode.NotFound, "Record not found");
        Assert.False(await RowExistsAsync(app, media.Id));
        foreach (var url in new[] { media.Url, media.PreviewUrl })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await app.FetchAsync(url)).StatusCode);
            Assert.False(await app.IsStoredAsync(url));
        }
    }

    private static async Task<bool> RowExistsAsync(MediaryApp app, string id)
    {
        await using var connection = await app.Database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM media_attachments WHERE id = @id", new { id = long.Parse(id) }) == 1;
    }
}
