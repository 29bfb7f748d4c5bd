using System.Net;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Mastodon;

/// <summary>Animations too small for Mastodon's bitrate formula, or one pixel wide, still become gifv videos.</summary>
public sealed class SmallAnimationTests(MediaryApp app) : IClassFixture<MediaryApp>
{
    [Theory]
    [InlineData("animated-16x16.gif", 16, 16)]
    [InlineData("animated-17x17.gif", 16, 16)] // cropped to even sides, as on Mastodon
    [InlineData("animated-1x64.gif", 2, 64)]   // the one pixel doubled, not cropped to nothing
    public async Task A_tiny_animated_gif_is_processed_into_an_mp4(string fixture, int width, int height)
    {
        var user = await app.NewUserAsync();
        var accepted = await user.UploadAsync(Fixtures.Path(fixture));
        Assert.Equal(HttpStatusCode.Accepted, accepted.Status);

        var done = await user.WaitUntilProcessedAsync(accepted.Id);
        Assert.Equal(HttpStatusCode.OK, done.Status);
        Assert.EndsWith(".mp4", done.Url);
        var original = done.Meta.GetProperty("original");
        Assert.Equal((width, height), (original.GetProperty("width").GetInt32(), original.GetProperty("height").GetInt32()));
        Assert.Equal(HttpStatusCode.OK, (await app.FetchAsync(done.Url)).StatusCode);
    }
}
