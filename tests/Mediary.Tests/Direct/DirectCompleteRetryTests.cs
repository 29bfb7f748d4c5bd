using System.Net;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Direct;

/// <summary>
/// A complete that fails for a reason other than the file (here its client goes away mid-way) on
/// local disk, where the uploaded bytes are read in place: they must stay for the retry.
/// </summary>
public sealed class DirectCompleteRetryTests(LocalDiskApp app) : IClassFixture<LocalDiskApp>
{
    [Fact]
    public async Task A_complete_whose_client_goes_away_mid_way_leaves_the_upload_for_the_retry()
    {
        var user = await app.NewDirectUserAsync();
        var declared = await user.DeclareAndPutAsync(Fixtures.Path("h264-aac.mp4"), "video/mp4");

        using var leaving = new CancellationTokenSource();
        var complete = user.Client.PostAsync($"/v1/media/{declared.MediaId}/complete", null, leaving.Token);
        // The client gives up while ffprobe reads the uploaded bytes, frozen there so the moment cannot slip by.
        using (await FrozenProcess.WaitAsync("ffprobe", declared.MediaId, TimeSpan.FromSeconds(30)))
        {
            leaving.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => complete);
        }
        DirectAnswer shown = null!;
        Assert.True(await Polling.UntilAsync(async () => (shown = await user.GetDirectMediaAsync(declared.MediaId)).MediaStatus != "processing",
            TimeSpan.FromSeconds(30)));
        // It was cut short, not finished behind the client's back.
        Assert.Equal("pending_upload", shown.MediaStatus);

        Assert.True(await app.HoldsDirectUploadAsync(declared.MediaId), "the uploaded bytes are gone after a complete that did not finish");
        var retried = await user.CompleteAsync(declared.MediaId);
        Assert.Equal(HttpStatusCode.OK, retried.Status);
        Assert.Equal("ready", (await user.WaitUntilSettledAsync(declared.MediaId)).MediaStatus);
    }
}
