using System.Net;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Web;

/// <summary>Served media files take byte ranges only; a Range in another unit is ignored (RFC 9110 §14.2).</summary>
public sealed class RangeUnitTests(LocalDiskApp app) : IClassFixture<LocalDiskApp>
{
    [Theory]
    [InlineData("items=0-1")]
    [InlineData("pages=0-1")]
    public async Task A_range_in_another_unit_gets_the_whole_file(string range)
    {
        var user = await app.NewUserAsync();
        var created = await user.UploadAsync(Fixtures.Path("600x400.png"));
        var whole = await File.ReadAllBytesAsync(await app.StoredFileAsync(created.Url));
        using var anonymous = app.CreateClient();

        var request = new HttpRequestMessage(HttpMethod.Get, created.Url);
        request.Headers.TryAddWithoutValidation("Range", range);
        var response = await anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Content.Headers.ContentRange);
        Assert.Equal(whole, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_bytes_range_still_gets_its_bytes()
    {
        var user = await app.NewUserAsync();
        var created = await user.UploadAsync(Fixtures.Path("600x400.png"));
        using var anonymous = app.CreateClient();

        var request = new HttpRequestMessage(HttpMethod.Get, created.Url);
        request.Headers.TryAddWithoutValidation("Range", "BYTES=1-3");
        var response = await anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal("PNG"u8.ToArray(), await response.Content.ReadAsByteArrayAsync());
    }
}
