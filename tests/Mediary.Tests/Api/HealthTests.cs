using System.Net;
using System.Text.Json;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Api;

/// <summary>The probes an orchestrator or load balancer calls, without a token.</summary>
public sealed class HealthTests(MediaryApp app) : IClassFixture<MediaryApp>
{
    [Fact]
    public async Task Liveness_and_readiness_answer_without_a_token_and_name_each_check()
    {
        using var client = app.CreateClient();
        var live = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("ok", JsonDocument.Parse(await live.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());

        Assert.Equal(new Readiness(HttpStatusCode.OK, "ok", "ok", "ok"), await Readiness.ReadAsync(client));
    }
}

public sealed class RequestIdTests(MediaryApp app) : IClassFixture<MediaryApp>
{
    [Fact]
    public async Task Every_response_carries_its_own_request_id()
    {
        using var client = app.CreateClient();
        var first = (await client.GetAsync("/api/v1/instance")).Headers.GetValues("X-Request-Id").Single();
        var second = (await client.GetAsync("/api/v1/media/1")).Headers.GetValues("X-Request-Id").Single();
        Assert.Matches("^[0-9a-f]{32}$", first);
        Assert.Matches("^[0-9a-f]{32}$", second);
        Assert.NotEqual(first, second);
    }
}

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

/// <summary>A server on a given bucket of the suite's S3 server (created or not yet), with more settings if given.</summary>
public sealed class BucketApp(TestBucket bucket, Dictionary<string, string>? settings = null) : MediaryApp(bucket, settings ?? []);

/// <summary>A server whose bucket is an endpoint that accepts connections and never answers.</summary>
public sealed class SilentBucketApp(string url) : MediaryApp(new()
{
    ["Storage:Provider"] = "S3",
    ["Storage:S3:ServiceUrl"] = url,
    ["Storage:S3:Bucket"] = "media",
    ["Storage:S3:AccessKey"] = "key",
    ["Storage:S3:SecretKey"] = "secret",
    ["Storage:S3:PublicBaseUrl"] = url + "/media",
    ["Storage:S3:TimeoutSeconds"] = "1",
});

/// <summary>A loopback TCP endpoint that accepts connections, reads nothing and never answers: a hung storage server.</summary>
public sealed class SilentEndpoint : IDisposable
{
    private readonly System.Net.Sockets.TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<System.Net.Sockets.TcpClient> _held = [];
    private readonly CancellationTokenSource _stop = new();
    private int _connections;

    public SilentEndpoint()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public int Connections => Volatile.Read(ref _connections);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                lock (_held) _held.Add(client);
                Interlocked.Increment(ref _connections);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_held) _held.ForEach(client => client.Dispose());
    }
}
