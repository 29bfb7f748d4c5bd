using Microsoft.Extensions.DependencyInjection;
using System.Net.Http.Json;
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
        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpResponseMessage put;
        while ((put = await user.PutFileAsync(url, path, "image/jpeg")).StatusCode == HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, "the upload URL never expired");
            await Task.Delay(500);
        }
        var late = await DirectAnswer.FromAsync(put, keyed: false);
        Assert.Equal(HttpStatusCode.Forbidden, late.Status);
        Assert.Contains("expired", late.ErrorMessage);
        Assert.Equal("not_found", (await user.CompleteAsync(declared.MediaId)).ErrorCode);

        deadline = DateTime.UtcNow.AddSeconds(20);
        while (await app.HoldsDirectUploadAsync(declared.MediaId) && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.False(await app.HoldsDirectUploadAsync(declared.MediaId), "the expired upload's bytes are still stored");
        Assert.Null(await app.Services.GetRequiredService<Mediary.Direct.DirectMediaRepository>()
            .FindForUploadAsync(declared.MediaId, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), CancellationToken.None));
    }

    [Fact]
    public async Task A_completed_upload_outlives_its_upload_url()
    {
        var user = await app.NewDirectUserAsync();
        var completed = await user.UploadDirectAsync(Fixtures.Path("600x400.jpg"), "image/jpeg");
        await Task.Delay(TimeSpan.FromSeconds(6));
        Assert.Equal("ready", (await user.GetDirectMediaAsync(completed.MediaId)).MediaStatus);
    }
}
