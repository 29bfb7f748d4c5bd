using System.Net;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Processing;

/// <summary>
/// A decoder that crashes or hangs costs one helper process and fails one upload; the server
/// keeps answering. The crash and the hang are real signals sent to a helper mid-render.
/// </summary>
public sealed class HelperFailureTests(ShortTimeoutApp app) : IClassFixture<ShortTimeoutApp>
{
    private const string ProcessingError = "Error processing thumbnail for uploaded media";

    [Fact]
    public async Task A_crashed_image_helper_fails_only_its_own_upload_and_is_replaced()
    {
        var user = await app.NewUserAsync();
        var upload = user.UploadAsync(Fixtures.Path("photo-12mp-exif6.jpg"));
        var victim = await FreezeRenderingHelperAsync();
        Signals.Kill(victim);

        var answer = await upload;
        answer.AssertError(HttpStatusCode.UnprocessableEntity, ProcessingError);
        Assert.Equal(HttpStatusCode.OK, (await user.UploadAsync(Fixtures.Path("600x400.jpg"))).Status);
        Assert.DoesNotContain(victim, app.HelperPool.ProcessIds);
        Assert.Empty(Directory.GetFiles(Path.Combine(app.DataDirectory, "tmp")));
    }

    [Fact]
    public async Task A_hung_image_helper_fails_its_upload_within_the_timeout_while_others_are_served()
    {
        var user = await app.NewUserAsync();
        var upload = user.UploadAsync(Fixtures.Path("photo-12mp-exif6.jpg"));
        var victim = await FreezeRenderingHelperAsync();
        try
        {
            Assert.Equal(HttpStatusCode.OK, (await user.UploadAsync(Fixtures.Path("600x400.jpg"))).Status);
            var answer = await upload.WaitAsync(TimeSpan.FromSeconds(30));
            answer.AssertError(HttpStatusCode.UnprocessableEntity, ProcessingError);
            Assert.DoesNotContain(victim, app.HelperPool.ProcessIds);
            Assert.Equal(HttpStatusCode.OK, (await user.UploadAsync(Fixtures.Path("600x400.png"))).Status);
        }
        finally
        {
            Signals.Kill(victim);
        }
    }

    /// <summary>
    /// A helper seen busy for 60 ms on end (past the header probe, inside the render), frozen with
    /// SIGSTOP and still busy a moment later: its render cannot have answered, so what the test
    /// does to it next (a kill, or leaving it hung) lands mid-render on a loaded machine too. A
    /// helper that answered just before it froze is let go, and the next one is waited for.
    /// </summary>
    private async Task<int> FreezeRenderingHelperAsync()
    {
        var since = new Dictionary<int, DateTime>();
        for (var deadline = DateTime.UtcNow.AddSeconds(20); DateTime.UtcNow < deadline; await Task.Delay(5))
        {
            var busy = app.HelperPool.BusyProcessIds;
            foreach (var gone in since.Keys.Except(busy).ToList()) since.Remove(gone);
            foreach (var pid in busy)
            {
                since.TryAdd(pid, DateTime.UtcNow);
                if (DateTime.UtcNow - since[pid] <= TimeSpan.FromMilliseconds(60) || !Signals.Stop(pid)) continue;
                await Task.Delay(200);
                if (app.HelperPool.BusyProcessIds.Contains(pid)) return pid;
                Signals.Continue(pid);
                since.Remove(pid);
            }
        }
        throw new TimeoutException("no image helper stayed busy");
    }
}
