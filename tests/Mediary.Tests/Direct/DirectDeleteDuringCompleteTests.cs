using System.Net;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Direct;

/// <summary>
/// A DELETE that arrives while complete reads the uploaded bytes (on local disk, in place) waits
/// for it instead of pulling the bytes away: complete answers as usual, never a 500 or a false
/// verification_failed, and then the delete removes everything.
/// </summary>
public sealed class DirectDeleteDuringCompleteTests(LocalDiskApp app) : IClassFixture<LocalDiskApp>
{
    [Fact]
    public async Task A_delete_during_complete_waits_for_it_and_then_removes_everything()
    {
        var user = await app.NewDirectUserAsync();
        var declared = await user.DeclareAndPutAsync(Fixtures.Path("h264-aac.mp4"), "video/mp4");

        var complete = user.Client.PostAsync($"/v1/media/{declared.MediaId}/complete", null);
        Task<HttpResponseMessage> delete;
        // ffprobe is reading the uploaded bytes, frozen there while the delete arrives.
        using (await FrozenProcess.WaitAsync("ffprobe", declared.MediaId, TimeSpan.FromSeconds(30)))
        {
            delete = user.Client.DeleteAsync($"/v1/media/{declared.MediaId}");
            // Time for the delete to reach the server; it must not have been done meanwhile.
            await Task.WhenAny(delete, Task.Delay(TimeSpan.FromSeconds(1)));
            Assert.True(await app.HoldsDirectUploadAsync(declared.MediaId), "the delete removed the bytes complete was reading");
        }

        var completed = await DirectAnswer.FromAsync(await complete);
        Assert.Equal(HttpStatusCode.OK, completed.Status);
        Assert.Contains(completed.MediaStatus, new[] { "processing", "ready" });
        var deleted = await DirectAnswer.FromAsync(await delete);
        Assert.Equal(HttpStatusCode.OK, deleted.Status);

        Assert.Equal("not_found", (await user.GetDirectMediaAsync(declared.MediaId)).ErrorCode);
        Assert.False(await app.HoldsDirectUploadAsync(declared.MediaId));
        var listed = await DirectAnswer.FromAsync(await user.Client.GetAsync("/v1/media"));
        Assert.Empty(listed.Data.GetProperty("items").EnumerateArray());
        // The video's job, if it had started, drops what it writes once it finds its media gone.
        var files = Path.Combine(app.DataDirectory, "media", "media_attachments");
        Assert.True(await Polling.UntilAsync(() => Task.FromResult(!Directory.Exists(files) || Directory.GetFiles(files, "*", SearchOption.AllDirectories).Length == 0),
            TimeSpan.FromSeconds(30)), "files of the deleted media are left: " + string.Join(", ", Directory.GetFiles(files, "*", SearchOption.AllDirectories)));
    }

    [Fact]
    public async Task A_complete_after_its_media_was_deleted_is_not_found()
    {
        var user = await app.NewDirectUserAsync();
        var declared = await user.DeclareAndPutAsync(Fixtures.Path("600x400.png"), "image/png");
        Assert.Equal(HttpStatusCode.OK, (await DirectAnswer.FromAsync(await user.Client.DeleteAsync($"/v1/media/{declared.MediaId}"))).Status);

        var completed = await user.CompleteAsync(declared.MediaId);

        Assert.Equal(HttpStatusCode.NotFound, completed.Status);
        Assert.Equal("not_found", completed.ErrorCode);
    }
}
