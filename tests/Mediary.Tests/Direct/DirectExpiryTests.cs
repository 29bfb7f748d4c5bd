using Microsoft.Extensions.DependencyInjection;
using System.Net;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Direct;

public sealed class DirectExpiryTests(ShortUploadUrlApp app) : IClassFixture<ShortUploadUrlApp>
{
    [Fact]
    public async Task An_expired_upload_url_is_403_and_the_upload_is_then_gone_bytes_included()
    {
        var user = await app.NewDirectUserAsync();
        var path = Fixtures.Path("600x400.jpg");
        var declared = await user.DeclareFileAsync(path, "image/jpeg");
        var url = declared.Data.GetProperty("upload_url").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await user.PutFileAsync(url, path, "image/jpeg")).StatusCode);
        Assert.True(await app.HoldsDirectUploadAsync(declared.MediaId));

        // The same PUT, repeated as a client would, is accepted until the URL expires, then refused.
        app.Clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(HttpStatusCode.OK, (await user.PutFileAsync(url, path, "image/jpeg")).StatusCode);
        app.Clock.Advance(TimeSpan.FromSeconds(2));
        var late = await DirectAnswer.FromAsync(await user.PutFileAsync(url, path, "image/jpeg"), keyed: false);
        Assert.Equal(HttpStatusCode.Forbidden, late.Status);
        Assert.Contains("expired", late.ErrorMessage);
        Assert.Equal("not_found", (await user.CompleteAsync(declared.MediaId)).ErrorCode);

        // The cleanup (every second) removes it, bytes included.
        Assert.True(await Polling.UntilAsync(async () => !await app.HoldsDirectUploadAsync(declared.MediaId), TimeSpan.FromSeconds(20)),
            "the expired upload's bytes are still stored");
        Assert.Null(await app.Services.GetRequiredService<Mediary.Direct.DirectMediaRepository>()
            .FindForUploadAsync(declared.MediaId, app.Clock.GetUtcNow().ToUnixTimeSeconds(), CancellationToken.None));
    }

    [Fact]
    public async Task A_completed_upload_outlives_its_upload_url()
    {
        var user = await app.NewDirectUserAsync();
        var completed = await user.UploadDirectAsync(Fixtures.Path("600x400.jpg"), "image/jpeg");
        // An upload never completed, declared at the same time: once the cleanup has removed it, the
        // cleanup has run past the completed one's URL expiry too.
        var abandoned = await user.DeclareAndPutAsync(Fixtures.Path("600x400.png"), "image/png");

        app.Clock.Advance(TimeSpan.FromSeconds(61));

        Assert.True(await Polling.UntilAsync(async () => !await app.HoldsDirectUploadAsync(abandoned.MediaId), TimeSpan.FromSeconds(20)),
            "the cleanup never removed the abandoned upload");
        Assert.Equal("ready", (await user.GetDirectMediaAsync(completed.MediaId)).MediaStatus);
    }
}
