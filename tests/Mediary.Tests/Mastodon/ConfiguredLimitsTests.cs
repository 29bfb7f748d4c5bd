using System.Net;
using System.Text.Json;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Mastodon;

public sealed class ConfiguredLimitsTests(SmallLimitsApp app) : IClassFixture<SmallLimitsApp>
{
    [Fact]
    public async Task The_instance_advertises_the_configured_limits_in_Mastodons_key_order()
    {
        var v2 = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/api/v2/instance")).RootElement;
        var media = v2.GetProperty("configuration").GetProperty("media_attachments");
        Assert.Equal(["description_limit", "image_matrix_limit", "image_size_limit", "supported_mime_types", "video_frame_rate_limit",
            "video_matrix_limit", "video_size_limit"], media.EnumerateObject().Select(p => p.Name));
        Assert.Equal(20, media.GetProperty("description_limit").GetInt32());
        Assert.Equal(200000, media.GetProperty("image_size_limit").GetInt64());
        Assert.Equal(1000000, media.GetProperty("image_matrix_limit").GetInt64());
        Assert.Equal(300000, media.GetProperty("video_size_limit").GetInt64());
        Assert.Equal(8294400, media.GetProperty("video_matrix_limit").GetInt64());
        Assert.Equal(120, media.GetProperty("video_frame_rate_limit").GetInt32());
        Assert.Contains("image/heic", media.GetProperty("supported_mime_types").EnumerateArray().Select(e => e.GetString()));
        var statuses = v2.GetProperty("configuration").GetProperty("statuses");
        Assert.Equal(["max_characters", "max_media_attachments", "characters_reserved_per_url"], statuses.EnumerateObject().Select(p => p.Name));
        Assert.Equal(4, statuses.GetProperty("max_media_attachments").GetInt32());

        var v1 = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/api/v1/instance")).RootElement;
        Assert.Equal(["supported_mime_types", "image_size_limit", "image_matrix_limit", "video_size_limit", "video_frame_rate_limit", "video_matrix_limit"],
            v1.GetProperty("configuration").GetProperty("media_attachments").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Uploads_are_held_to_the_advertised_limits()
    {
        var user = await app.NewUserAsync();
        // 600×400 = 240,000 px and a few kB: within both limits.
        Assert.Equal(HttpStatusCode.OK, (await user.UploadAsync(Fixtures.Path("600x400.jpg"))).Status);

        // 1200×1000 = 1.2 MP in a small file: over the configured 1,000,000 px, refused from the header.
        var manyPixels = Path.Combine(Directory.CreateTempSubdirectory().FullName, "black.png");
        Tools.MustRun("vips", "black", manyPixels, "1200", "1000");
        var tooManyPixels = await user.UploadAsync(manyPixels);
        tooManyPixels.AssertError(HttpStatusCode.UnprocessableEntity, "1200x1000 images are not supported");

        // A 600×400 PNG padded past 200,000 bytes: within the pixel limit, over the size limit.
        var padded = Path.Combine(Directory.CreateTempSubdirectory().FullName, "padded.png");
        Tools.MustRun("vips", "gaussnoise", padded, "600", "400");
        Assert.True(new FileInfo(padded).Length is > 200_000 and < 300_000, $"{new FileInfo(padded).Length} bytes");
        var tooBig = await user.UploadAsync(padded);
        tooBig.AssertError(HttpStatusCode.UnprocessableEntity, "Validation failed: File must be less than 195 KB, File file size must be less than 195 KB");

        var tooLong = await user.UploadAsync(Fixtures.Path("600x400.jpg"), fields: new Dictionary<string, string> { ["description"] = new('x', 21) });
        Assert.Equal("Validation failed: Description is too long (maximum is 20 characters)", tooLong.Error);
    }

    [Fact]
    public async Task A_body_over_the_largest_upload_limit_gets_413_and_leaves_no_partial_file()
    {
        var user = await app.NewUserAsync();
        var large = Path.Combine(Directory.CreateTempSubdirectory().FullName, "large.bin");
        await File.WriteAllBytesAsync(large, new byte[400_000]);
        var answer = await user.UploadAsync(large);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, answer.Status);
        Assert.Equal("{\"error\":\"Request entity too large\"}", answer.Body);
        Assert.Empty(Directory.GetFiles(Path.Combine(app.DataDirectory, "tmp")));
    }
}
