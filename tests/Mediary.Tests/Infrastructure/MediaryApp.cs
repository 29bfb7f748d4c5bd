using System.Net.Http.Headers;
using Mediary.Auth;
using Mediary.Processing;
using Mediary.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Mediary.Tests.Infrastructure;

/// <summary>
/// The real server in-process (real SQLite file, real libvips helper processes) on a data
/// directory of its own. Settings may override configuration keys, e.g. "Media:ImageSizeLimit".
/// </summary>
public class MediaryApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly Dictionary<string, string> _settings;

    public MediaryApp() : this([]) { }

    protected MediaryApp(Dictionary<string, string> settings)
    {
        _settings = settings;
        DataDirectory = Path.Combine(Path.GetTempPath(), "mediary-tests", Guid.NewGuid().ToString("N"));
        Database = TestDatabase.For(DataDirectory);
    }

    public string DataDirectory { get; }

    /// <summary>SQLite in the data directory, or a PostgreSQL database of its own when the suite runs on PostgreSQL.</summary>
    public TestDatabase Database { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Mediary:DataDirectory", DataDirectory);
        builder.UseSetting("Processing:Concurrency", "2");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in Database.Settings) builder.UseSetting(key, value);
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
    }

    /// <summary>A new account and an HTTP client carrying a token with the given scopes.</summary>
    public async Task<User> NewUserAsync(string scopes = "read write")
    {
        var name = "u" + Guid.NewGuid().ToString("N")[..12];
        var account = await Services.GetRequiredService<AccountStore>().CreateAsync(name);
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

    public LocalDiskStorage Storage => Services.GetRequiredService<LocalDiskStorage>();

    internal ImageHelperPool HelperPool => Services.GetRequiredService<ImageHelperPool>();

    /// <summary>The stored file behind a media URL.</summary>
    public string StoredPath(string url) => Storage.PathFor(new Uri(url).AbsolutePath["/system/".Length..]);

    public ValueTask InitializeAsync()
    {
        _ = Server; // start now, so the helpers are warm before the first test
        return ValueTask.CompletedTask;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Database.DisposeAsync();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }
}

public sealed record User(Account Account, string Token, HttpClient Client);
