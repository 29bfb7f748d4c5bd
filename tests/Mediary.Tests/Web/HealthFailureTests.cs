using System.Net;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Web;

public sealed class HealthFailureTests
{
    [Fact]
    public async Task Readiness_is_503_naming_the_storage_when_the_media_directory_is_gone()
    {
        await using var app = new LocalDiskApp();
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await Readiness.ReadAsync(client)).Status);

        Directory.Delete(app.LocalStorage!.Root, recursive: true);
        Assert.Equal(new Readiness(HttpStatusCode.ServiceUnavailable, "unavailable", "ok", "unreachable"), await Readiness.ReadAsync(client));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task A_storage_outage_is_503_with_a_clear_message_on_both_faces_never_a_500()
    {
        await using var app = new LocalDiskApp();
        var user = await app.NewUserAsync();
        var direct = await app.NewDirectUserAsync();
        var declared = await direct.DeclareFileAsync(Fixtures.Path("600x400.jpg"), "image/jpeg");

        Directory.Delete(app.LocalStorage!.Root, recursive: true);
        var mastodon = await user.UploadAsync(Fixtures.Path("600x400.jpg"));
        mastodon.AssertError(HttpStatusCode.ServiceUnavailable, "There was a temporary problem serving your request, please try again");

        var put = await DirectAnswer.FromAsync(
            await direct.PutFileAsync(declared.Data.GetProperty("upload_url").GetString()!, Fixtures.Path("600x400.jpg"), "image/jpeg"), keyed: false);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, put.Status);
        Assert.Equal("service_unavailable", put.ErrorCode);
        Assert.Contains("storage", put.ErrorMessage);
        Assert.False(Directory.Exists(app.LocalStorage!.Root), "nothing may be written where the storage was");
    }

    [Fact]
    public async Task A_bucket_that_does_not_exist_fails_readiness_and_uploads_with_503_until_it_is_created()
    {
        Assert.SkipUnless(TestBucket.InUse, "needs the S3 server that scripts/test.sh starts (MEDIARY_TEST_S3)");
        await using var app = new BucketApp(TestBucket.NotYetCreated()!);
        var user = await app.NewUserAsync();
        using var client = app.CreateClient();

        // A HEAD of a key would answer a bare 404 and pass the missing bucket as healthy.
        (await Readiness.ReadAsync(client)).AssertStorageOut();
        (await user.UploadAsync(Fixtures.Path("600x400.jpg"))).AssertError(HttpStatusCode.ServiceUnavailable,
            "There was a temporary problem serving your request, please try again");

        // Created while the server runs: no restart needed.
        await app.Bucket!.CreateAsync();
        Assert.Equal(HttpStatusCode.OK, (await Readiness.ReadAsync(client)).Status);
        var upload = await user.UploadAsync(Fixtures.Path("600x400.jpg"));
        Assert.Equal(HttpStatusCode.OK, upload.Status);
        Assert.Contains(app.KeyOf(upload.Json.GetProperty("url").GetString()!), await app.StoredKeysAsync());
    }

    [Fact]
    public async Task A_bucket_that_stops_answering_is_a_503_on_both_faces_within_the_storage_timeout_not_a_hang()
    {
        using var silent = new SilentEndpoint();
        await using var app = new SilentBucketApp(silent.Url);
        var user = await app.NewUserAsync();
        var direct = await app.NewDirectUserAsync();
        // Guards against a hang only: the storage timeout is 1 s, with up to 3 tries per request.
        using var hang = new CancellationTokenSource(TimeSpan.FromSeconds(90));

        using var client = app.CreateClient();
        (await Readiness.ReadAsync(client, hang.Token)).AssertStorageOut();

        var mastodon = await user.UploadAsync(Fixtures.Path("600x400.jpg"));
        mastodon.AssertError(HttpStatusCode.ServiceUnavailable, "There was a temporary problem serving your request, please try again");

        var declared = await direct.DeclareFileAsync(Fixtures.Path("600x400.jpg"), "image/jpeg");
        Assert.Equal(HttpStatusCode.OK, declared.Status);
        var complete = await direct.CompleteAsync(declared.MediaId);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, complete.Status);
        Assert.Equal("service_unavailable", complete.ErrorCode);
        Assert.True(silent.Connections > 0, "the bucket was never asked");
    }
}
