using System.Net;
using System.Text;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Media;

/// <summary>Files that lie, break or explode: each gets a clear 4xx and leaves nothing behind.</summary>
public sealed class HostileInputTests(MediaryApp app) : IClassFixture<MediaryApp>
{
    [Theory]
    [InlineData("html-as.jpg")]
    [InlineData("svg-as.jpg")]
    [InlineData("pdf-as.png")]
    [InlineData("empty.jpg")]
    public async Task Files_that_are_not_images_are_refused_as_invalid_content(string fixture)
    {
        var user = await app.NewUserAsync();
        var answer = await user.UploadAsync(Fixtures.Path(fixture));
        answer.AssertError(HttpStatusCode.UnprocessableEntity, "Validation failed: File content type is invalid, File is invalid");
        AssertNothingLeft();
    }

    [Fact]
    public async Task A_truncated_jpeg_is_refused_or_stored_as_a_complete_image_never_a_server_error()
    {
        var user = await app.NewUserAsync();
        var answer = await user.UploadAsync(Fixtures.Path("truncated.jpg"));
        Assert.True(answer.Status is HttpStatusCode.OK or HttpStatusCode.UnprocessableEntity, answer.ToString());
        if (answer.Status == HttpStatusCode.OK) Assert.Equal((600, 400), Tools.ImageSize(await app.StoredFileAsync(answer.Url)));
        AssertNothingLeft();
    }

    [Fact]
    public async Task A_20000_by_20000_png_bomb_is_refused_from_its_header_without_decoding_it()
    {
        var user = await app.NewUserAsync();
        var answer = await user.UploadAsync(Fixtures.Path("bomb-20000.png"));
        answer.AssertError(HttpStatusCode.UnprocessableEntity, "20000x20000 images are not supported");

        // Decoding 400 MP would need at least 400 MB in the helper that read the header.
        foreach (var pid in app.HelperPool.ProcessIds)
        {
            var peakKb = long.Parse(File.ReadAllLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmHWM:"))
                .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
            Assert.True(peakKb < 300_000, $"image helper {pid} peaked at {peakKb} kB");
        }
        AssertNothingLeft();
    }

    [Fact]
    public async Task Images_over_the_pixel_limits_are_refused_with_their_dimensions()
    {
        var user = await app.NewUserAsync();
        var big = await user.UploadAsync(Fixtures.Path("big-9000x4000.jpg"));
        big.AssertError(HttpStatusCode.UnprocessableEntity, "9000x4000 images are not supported");

        var gif = await user.UploadAsync(Fixtures.Path("gif-too-big.gif"));
        gif.AssertError(HttpStatusCode.UnprocessableEntity, "1281x720 GIF files are not supported");
    }

    [Fact]
    public async Task A_description_one_code_point_too_long_is_refused_and_the_limit_itself_is_accepted()
    {
        var user = await app.NewUserAsync();
        // Astral-plane characters: 10,000 code points but 20,000 UTF-16 units.
        var atLimit = string.Concat(Enumerable.Repeat("😀", 10_000));
        var ok = await user.UploadAsync(Fixtures.Path("600x400.jpg"), fields: new Dictionary<string, string> { ["description"] = atLimit });
        Assert.Equal(HttpStatusCode.OK, ok.Status);
        Assert.Equal(atLimit, ok.Json.GetProperty("description").GetString());

        var tooLong = await user.UploadAsync(Fixtures.Path("600x400.jpg"), fields: new Dictionary<string, string> { ["description"] = atLimit + "a" });
        tooLong.AssertError(HttpStatusCode.UnprocessableEntity, "Validation failed: Description is too long (maximum is 10000 characters)");
    }

    [Fact]
    public async Task A_10_megabyte_description_is_too_long_in_every_body_format_never_a_framework_error()
    {
        var user = await app.NewUserAsync();
        var huge = new string('a', 10 * 1024 * 1024);
        var created = await user.UploadAsync(Fixtures.Path("600x400.jpg"));

        var multipart = await user.UploadAsync(Fixtures.Path("600x400.jpg"), fields: new Dictionary<string, string> { ["description"] = huge });
        var urlencoded = await Answer.FromAsync(await user.Client.PutAsync($"/api/v1/media/{created.Id}",
            new FormUrlEncodedContent([new("description", huge)])));
        var json = await Answer.FromAsync(await user.Client.PutAsync($"/api/v1/media/{created.Id}",
            new StringContent($"{{\"description\":\"{huge}\"}}", Encoding.UTF8, "application/json")));

        foreach (var answer in new[] { multipart, urlencoded, json })
        {
            answer.AssertError(HttpStatusCode.UnprocessableEntity, "Validation failed: Description is too long (maximum is 10000 characters)");
        }
        AssertNothingLeft();
    }

    private void AssertNothingLeft()
    {
        var temp = Path.Combine(app.DataDirectory, "tmp");
        Assert.Empty(Directory.Exists(temp) ? Directory.GetFiles(temp) : []);
    }
}
