using System.Net;
using Mediary.Auth;
using Mediary.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Mediary.Tests.Mastodon;

/// <summary>Doorkeeper's answers, exactly as Mastodon gives them.</summary>
public sealed class AuthTests(MediaryApp app) : IClassFixture<MediaryApp>
{
    [Theory]
    [InlineData(null)]
    [InlineData("Bearer not-a-token")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task A_missing_or_unknown_token_gets_401_invalid(string? authorization)
    {
        using var client = app.CreateClient();
        foreach (var (method, path) in new[] { (HttpMethod.Post, "/api/v2/media"), (HttpMethod.Get, "/api/v1/media/1"), (HttpMethod.Delete, "/api/v1/media/1") })
        {
            var request = new HttpRequestMessage(method, path);
            if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
            var answer = await Answer.FromAsync(await client.SendAsync(request));
            Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
            Assert.Equal("{\"error\":\"The access token is invalid\"}", answer.Body);
            Assert.Contains("invalid_token", answer.Response.Headers.WwwAuthenticate.ToString());
        }
    }

    [Theory]
    [InlineData("read")]
    [InlineData("read read:media")]
    [InlineData("write:statuses follow")]
    public async Task A_token_without_write_or_write_media_gets_403(string scopes)
    {
        var user = await app.NewUserAsync(scopes);
        var get = await user.GetMediaAsync("1");
        Assert.Equal(HttpStatusCode.Forbidden, get.Status);
        Assert.Equal("{\"error\":\"This action is outside the authorized scopes\"}", get.Body);
        var post = await user.UploadAsync(Fixtures.Path("600x400.jpg"));
        Assert.Equal(HttpStatusCode.Forbidden, post.Status);
    }

    [Fact]
    public async Task A_revoked_token_gets_401_revoked_at_once()
    {
        var user = await app.NewUserAsync();
        var created = await user.UploadAsync(Fixtures.Path("600x400.jpg"));
        Assert.True(await app.Services.GetRequiredService<TokenStore>().RevokeAsync(user.Token));

        var answer = await user.GetMediaAsync(created.Id);
        answer.AssertError(HttpStatusCode.Unauthorized, "The access token was revoked");
    }

    [Fact]
    public async Task The_token_may_also_come_as_an_access_token_parameter()
    {
        var user = await app.NewUserAsync();
        var created = await user.UploadAsync(Fixtures.Path("600x400.jpg"));
        using var client = app.CreateClient();
        var response = await client.GetAsync($"/api/v1/media/{created.Id}?access_token={Uri.EscapeDataString(user.Token)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_instance_endpoints_need_no_token()
    {
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/instance")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v2/instance")).StatusCode);
    }

    [Fact]
    public async Task Tokens_never_start_with_a_dash_so_the_cli_takes_them_as_arguments()
    {
        var user = await app.NewUserAsync();
        var tokens = app.Services.GetRequiredService<Mediary.Auth.TokenStore>();
        // Unfixed, one token in 32 would start with '-' or '_': 500 leave that no chance to hide.
        for (var i = 0; i < 500; i++)
        {
            var token = await tokens.CreateAsync(user.Account.Id, "read");
            Assert.True(char.IsAsciiLetterOrDigit(token[0]), token);
        }
    }

    [Fact]
    public async Task Tokens_are_stored_hashed()
    {
        var user = await app.NewUserAsync();
        if (TestDatabase.OnPostgres)
        {
            await using var connection = await app.Database.OpenAsync();
            var rows = await Dapper.SqlMapper.QueryAsync<string>(connection, "SELECT concat_ws(' ', token_hash, scopes) FROM access_tokens");
            Assert.NotEmpty(rows);
            Assert.DoesNotContain(rows, row => row.Contains(user.Token));
            return;
        }
        var database = await File.ReadAllBytesAsync(Path.Combine(app.DataDirectory, "mediary.db"));
        var wal = Path.Combine(app.DataDirectory, "mediary.db-wal");
        var all = database.Concat(File.Exists(wal) ? await ReadSharedAsync(wal) : []).ToArray();
        Assert.DoesNotContain(user.Token, System.Text.Encoding.ASCII.GetString(all));
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}
