using System.Net;
using System.Text;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Media;

/// <summary>What happens to the pixels and the metadata of an uploaded image, checked on the stored files with vips and exiftool.</summary>
public sealed class ImagePipelineTests(MediaryApp app) : IClassFixture<MediaryApp>
{
    private static readonly string[] PersonalData = ["MediaryTestCam", "FixtureModel", "Fixture Artist Name", "XmpCreatorName", "IptcBylineName"];

    [Fact]
    public async Task A_12_megapixel_photo_with_orientation_6_comes_back_upright_downscaled_and_without_gps_or_camera_data()
    {
        var user = await app.NewUserAsync();
        var answer = await user.UploadAsync(Fixtures.Path("photo-12mp-exif6.jpg"));
        Assert.Equal(HttpStatusCode.OK, answer.Status);

        // Stored 4000×3000 and rotated 90° for display: portrait, and downscaled under 8,294,400 px.
        var original = answer.Meta.GetProperty("original");
        var (width, height) = (original.GetProperty("width").GetInt32(), original.GetProperty("height").GetInt32());
        // Mastodon's box for 8,294,400 px at 3:4 is round(sqrt(P·3/4)) × round(sqrt(P·4/3)) = 2494 × 3326;
        // fitted inside it at 3:4 the image is 2494 × 3325.
        Assert.Equal((2494, 3325), (width, height));
        Assert.Equal((width, height), Tools.ImageSize(await app.StoredFileAsync(answer.Url)));

        foreach (var url in new[] { answer.Url, answer.PreviewUrl })
        {
            var path = await app.StoredFileAsync(url);
            var tags = Tools.ExifDump(path);
            Assert.DoesNotContain("GPS", tags);
            Assert.DoesNotContain("Rotate", tags);
            // exiftool -s lines read "[Group]  TagName  : value".
            var names = tags.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]).ToHashSet();
            foreach (var tag in new[] { "Make", "Model", "Artist", "Creator", "By-line", "DateTimeOriginal" }) Assert.DoesNotContain(tag, names);
            var bytes = Encoding.Latin1.GetString(await File.ReadAllBytesAsync(path));
            foreach (var secret in PersonalData) Assert.DoesNotContain(secret, bytes);
        }
        // The colour profile is kept, as Mastodon does.
        Assert.Contains("ICC", Tools.ExifDump(await app.StoredFileAsync(answer.Url)));
    }

    [Fact]
    public async Task Pixels_are_rotated_not_just_the_dimensions()
    {
        // A red square in the top-left corner of the stored pixels, orientation 6 (rotate 90° clockwise
        // to display): upright, the square is in the top-right corner.
        var dir = Directory.CreateTempSubdirectory("mediary-rotate").FullName;
        var path = Path.Combine(dir, "rotated.jpg");
        Tools.MustRun("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "color=c=blue:s=400x300", "-vf",
            "drawbox=x=0:y=0:w=100:h=100:color=red:t=fill", "-frames:v", "1", "-y", path);
        Tools.MustRun("exiftool", "-overwrite_original", "-Orientation#=6", path);

        var user = await app.NewUserAsync();
        var answer = await user.UploadAsync(path);
        var stored = await app.StoredFileAsync(answer.Url);
        Assert.Equal((300, 400), Tools.ImageSize(stored));
        var topRight = Tools.MustRun("vips", "getpoint", stored, "250", "50").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(double.Parse).ToArray();
        var topLeft = Tools.MustRun("vips", "getpoint", stored, "50", "50").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(double.Parse).ToArray();
        Assert.True(topRight[0] > 200 && topRight[2] < 80, $"top-right should be red: {string.Join(',', topRight)}");
        Assert.True(topLeft[2] > 200 && topLeft[0] < 80, $"top-left should be blue: {string.Join(',', topLeft)}");
    }

    [Theory]
    [InlineData("exif-gps.png", "image/png")]
    [InlineData("exif-gps.webp", "image/webp")]
    public async Task Png_and_webp_lose_their_exif_gps_and_xmp(string fixture, string contentType)
    {
        var user = await app.NewUserAsync();
        var answer = await user.UploadAsync(Fixtures.Path(fixture));
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var response = await app.FetchAsync(answer.Url);
        Assert.Equal(contentType, response.Content.Headers.ContentType!.MediaType);
        foreach (var url in new[] { answer.Url, answer.PreviewUrl })
        {
            var path = await app.StoredFileAsync(url);
            Assert.DoesNotContain("GPS", Tools.ExifDump(path));
            var bytes = Encoding.Latin1.GetString(await File.ReadAllBytesAsync(path));
            Assert.DoesNotContain("MediaryTestCam", bytes);
        }
    }

    [Theory]
    [InlineData("600x400.heic")]
    [InlineData("600x400.avif")]
    public async Task Heic_and_avif_are_stored_as_jpeg(string fixture)
    {
        var user = await app.NewUserAsync();
        var answer = await user.UploadAsync(Fixtures.Path(fixture));
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.EndsWith(".jpeg", answer.Url);
        Assert.EndsWith(".jpeg", answer.PreviewUrl);
        var bytes = await File.ReadAllBytesAsync(await app.StoredFileAsync(answer.Url));
        Assert.Equal([0xFF, 0xD8, 0xFF], bytes[..3]);
        Assert.Equal((600, 400), Tools.ImageSize(await app.StoredFileAsync(answer.Url)));
        Assert.Equal((588, 392), Tools.ImageSize(await app.StoredFileAsync(answer.PreviewUrl)));
    }

    [Theory]
    [InlineData("600x400.jpeg", "jpeg")]
    [InlineData("600x400.png", "png")]
    [InlineData("monochrome.png", "png")]
    [InlineData("600x400.webp", "webp")]
    [InlineData("600x400.avif", "jpeg")]
    [InlineData("600x400.heic", "jpeg")]
    [InlineData("attachment.gif", "gif")]
    [InlineData("attachment-jpg.123456_abcd", "jpeg")]
    public async Task Mastodons_own_fixtures_give_Mastodons_results(string fixture, string extension)
    {
        var user = await app.NewUserAsync();
        var answer = await user.UploadAsync(Fixtures.Mastodon(fixture), fileName: fixture);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("image", answer.Json.GetProperty("type").GetString());
        Assert.EndsWith("." + extension, answer.Url);
        Assert.DoesNotContain(Path.GetFileNameWithoutExtension(fixture), answer.Url[(answer.Url.LastIndexOf('/') + 1)..]);
        Assert.Contains("\"original\":{\"width\":600,\"height\":400,\"size\":\"600x400\",\"aspect\":1.5}", answer.Body);
        Assert.Contains("\"small\":{\"width\":588,\"height\":392,\"size\":\"588x392\",\"aspect\":1.5}", answer.Body);
    }

    [Fact]
    public async Task A_tiny_static_gif_keeps_its_size_and_a_whole_number_aspect_is_written_as_a_float()
    {
        var user = await app.NewUserAsync();
        var answer = await user.UploadAsync(Fixtures.Mastodon("mini-static.gif"));
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Contains("\"original\":{\"width\":32,\"height\":32,\"size\":\"32x32\",\"aspect\":1.0}", answer.Body);
    }

    [Fact]
    public async Task A_static_gif_keeps_its_bytes_minus_comments_and_xmp_and_gets_a_real_png_preview()
    {
        var source = Fixtures.Path("static-comment.gif");
        var user = await app.NewUserAsync();
        var answer = await user.UploadAsync(source);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.EndsWith(".gif", answer.Url);
        Assert.EndsWith(".png", answer.PreviewUrl);

        var stored = await File.ReadAllBytesAsync(await app.StoredFileAsync(answer.Url));
        var text = Encoding.Latin1.GetString(stored);
        Assert.DoesNotContain("SECRET-GIF-COMMENT", text);
        Assert.DoesNotContain("SECRET-GIF-XMP", text);
        Assert.StartsWith("GIF8", text);
        // Same pixels: libvips reads the same average from the original upload and the stored copy.
        Assert.Equal(Tools.MustRun("vips", "avg", source), Tools.MustRun("vips", "avg", await app.StoredFileAsync(answer.Url)));

        var preview = await File.ReadAllBytesAsync(await app.StoredFileAsync(answer.PreviewUrl));
        Assert.Equal("\x89PNG", Encoding.Latin1.GetString(preview, 0, 4));
    }

    [Fact]
    public async Task An_original_over_8_3_megapixels_is_downscaled_and_the_type_is_sniffed_not_taken_from_the_name()
    {
        var user = await app.NewUserAsync();
        var answer = await user.UploadAsync(Fixtures.Path("large-4000x2500.jpg"), fileName: "holiday.png");
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.EndsWith(".jpeg", answer.Url);
        // Box for 8,294,400 px at 8:5: round(sqrt(P·1.6)) × round(sqrt(P/1.6)) = 3643 × 2277.
        Assert.Equal((3643, 2277), Tools.ImageSize(await app.StoredFileAsync(answer.Url)));
    }
}
