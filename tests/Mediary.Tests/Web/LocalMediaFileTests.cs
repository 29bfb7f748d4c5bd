using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Web;

/// <summary>Media files as Mediary serves them from local disk under /system/ (a bucket or CDN serves its own).</summary>
public sealed class LocalMediaFileTests(LocalDiskApp app) : IClassFixture<LocalDiskApp>
{
    [Fact]
    public async Task Media_files_are_served_without_a_token_with_type_etag_ranges_nosniff_and_cors()
    {
        var user = await app.NewUserAsync();
        var created = await user.UploadAsync(Fixtures.Path("600x400.webp"));
        using var anonymous = app.CreateClient();

        var request = new HttpRequestMessage(HttpMethod.Get, created.Url);
        request.Headers.Range = new RangeHeaderValue(0, 11);
        request.Headers.Add("Origin", "https://elsewhere.example");
        var partial = await anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal("image/webp", partial.Content.Headers.ContentType!.MediaType);
        var head = await partial.Content.ReadAsByteArrayAsync();
        Assert.Equal("RIFF", Encoding.ASCII.GetString(head, 0, 4));
        Assert.Equal("WEBP", Encoding.ASCII.GetString(head, 8, 4));
        Assert.NotNull(partial.Headers.ETag);
        Assert.Equal("nosniff", partial.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("*", partial.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.True(partial.Headers.CacheControl!.MaxAge >= TimeSpan.FromDays(30));
    }
}
