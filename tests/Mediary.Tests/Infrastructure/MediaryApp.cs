using System.Net.Http.Headers;
using Mediary.Auth;
using Mediary.Processing;
using Mediary.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Mediary.Tests.Infrastructure;

/// <summary>
/// The real server in-process (real SQLite file, real libvips helper processes) on a data
/// directory of its own. Settings may override configuration keys, e.g. "Media:ImageSizeLimit".
/// When the suite runs on PostgreSQL and s3rver, the server gets a database and a bucket of its own
/// there instead; the helpers below read stored media the same way on both.
/// </summary>
public class MediaryApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly Dictionary<string, string> _settings;
    private readonly FakeTimeProvider? _clock;

    public MediaryApp() : this([]) { }

    protected MediaryApp(Dictionary<string, string> settings)
        : this(settings.ContainsKey("Storage:Provider") ? null : TestBucket.Create(), settings) { }

    /// <summary>A server on <paramref name="bucket"/>, which it removes when disposed (none: the storage the settings or defaults give).</summary>
    protected MediaryApp(TestBucket? bucket, Dictionary<string, string> settings)
    {
        _settings = settings;
        DataDirectory = Path.Combine(Path.GetTempPath(), "mediary-tests", Guid.NewGuid().ToString("N"));
        Database = TestDatabase.For(DataDirectory);
        Bucket = bucket;
    }

    /// <summary>A server whose clock the test moves (URL lifetimes, rate windows, expiry), starting at <paramref name="clock"/>'s time.</summary>
    protected MediaryApp(Dictionary<string, string> settings, FakeTimeProvider clock) : this(settings) => _clock = clock;

    /// <summary>
    /// The server's clock, for a variant made with one: every component that reads the time through
    /// <see cref="TimeProvider"/> sees it; background loops still run on the wall clock.
    /// </summary>
    public FakeTimeProvider Clock => _clock ?? throw new InvalidOperationException($"{GetType().Name} runs on the wall clock");

    public string DataDirectory { get; }

    /// <summary>SQLite in the data directory, or a PostgreSQL database of its own when the suite runs on PostgreSQL.</summary>
    public TestDatabase Database { get; }

    /// <summary>The server's bucket when the suite runs on s3rver; null on local disk.</summary>
    public TestBucket? Bucket { get; }

    /// <summary>The database and storage settings as environment variables, for CLI runs against this server's data.</summary>
    public IReadOnlyDictionary<string, string> Environment =>
        TestDatabase.AsEnvironment(Database.Settings.Concat(Bucket?.Settings ?? []));

    /// <summary>A CLI command run as its own process on this server's data (directory, database, bucket), as an operator would.</summary>
    public Tools.Result RunCli(params string[] args) => Tools.RunMediary(DataDirectory, Environment, args);

    /// <summary>The server's temporary files matching <paramref name="pattern"/>, e.g. a transcode's output (<c>*.mp4</c>) while it runs.</summary>
    public string[] TemporaryFiles(string pattern) => Directory.GetFiles(Path.Combine(DataDirectory, "tmp"), pattern);

    /// <summary>The keys stored under <paramref name="prefix"/> (e.g. <c>pending/</c>), sorted.</summary>
    public Task<IReadOnlyList<string>> StoredKeysAsync(string prefix = "") =>
        TestBucket.StoredKeysAsync(Bucket, Path.Combine(DataDirectory, "media"), prefix);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Mediary:DataDirectory", DataDirectory);
        builder.UseSetting("Processing:Concurrency", "2");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in Database.Settings) builder.UseSetting(key, value);
        foreach (var (key, value) in Bucket?.Settings ?? []) builder.UseSetting(key, value);
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        if (_clock is not null) builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(_clock));
    }

    /// <summary>A new account and an HTTP client carrying a token with the given scopes.</summary>
    public async Task<User> NewUserAsync(string scopes = "read write", bool admin = false)
    {
        var name = "u" + Guid.NewGuid().ToString("N")[..12];
        var account = await Services.GetRequiredService<AccountStore>().CreateAsync(name, admin: admin);
        var token = await Services.GetRequiredService<TokenStore>().CreateAsync(account.Id, scopes);
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new User(account, token, client);
    }

    /// <summary>A new account and an HTTP client carrying a direct API key (what <c>keys create</c> makes).</summary>
    public async Task<DirectUser> NewDirectUserAsync()
    {
        var user = await NewUserAsync(Mediary.Direct.DirectApiMiddleware.KeyScope);
        return new DirectUser(user.Account, user.Token, user.Client);
    }

    public IMediaStorage Storage => Services.GetRequiredService<IMediaStorage>();

    /// <summary>The local disk storage, for the tests that are about it (null on s3rver).</summary>
    public LocalDiskStorage? LocalStorage => Storage as LocalDiskStorage;

    internal ImageHelperPool HelperPool => Services.GetRequiredService<ImageHelperPool>();

    /// <summary>The storage key behind a media URL (served under /system/ from local disk, else from the bucket).</summary>
    public string KeyOf(string url)
    {
        Assert.StartsWith(MediaBaseUrl + "/", url);
        return url[(MediaBaseUrl.Length + 1)..];
    }

    /// <summary>Where media URLs start: this server's /system, or the bucket's public base URL.</summary>
    public string MediaBaseUrl => Bucket is null ? "http://localhost/system" : Bucket.PublicBaseUrl;

    /// <summary>A copy of the stored file behind a media URL, to inspect.</summary>
    public async Task<string> StoredFileAsync(string url)
    {
        var directory = Path.Combine(DataDirectory, "inspected");
        Directory.CreateDirectory(directory);
        var copy = Path.Combine(directory, Guid.NewGuid().ToString("N") + Path.GetExtension(url));
        await Storage.CopyToFileAsync(KeyOf(url), copy);
        return copy;
    }

    /// <summary>Whether the file behind a media URL is still stored.</summary>
    public Task<bool> IsStoredAsync(string url) => Storage.ExistsAsync(KeyOf(url));

    /// <summary>Whether a direct upload's raw bytes (step 2) are still stored.</summary>
    public Task<bool> HoldsDirectUploadAsync(string mediaId) => Storage.ExistsAsync(Mediary.Direct.DirectMedia.UploadKeyFor(mediaId));

    /// <summary>
    /// Fetches a media URL as a browser would: from this server (local disk) or from the bucket
    /// (the in-process client only reaches this server).
    /// </summary>
    public Task<HttpResponseMessage> FetchAsync(string url) =>
        Bucket is null ? CreateClient().GetAsync(url) : PublicClient.GetAsync(url);

    private static readonly HttpClient PublicClient = new();

    public ValueTask InitializeAsync()
    {
        _ = Server; // start now, so the helpers are warm before the first test
        return ValueTask.CompletedTask;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Database.DisposeAsync();
        if (Bucket is not null) await Bucket.DisposeAsync();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }
}
