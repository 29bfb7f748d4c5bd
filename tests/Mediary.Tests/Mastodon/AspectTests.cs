using System.Net;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Mastodon;

/// <summary>The aspect in meta is written as Mastodon (Ruby) writes it, also where .NET would use its own exponent form.</summary>
public sealed class AspectTests(MediaryApp app) : IClassFixture<MediaryApp>
{
    [Fact]
    public async Task A_1x100000_image_has_an_aspect_of_1_0e_05()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("mediary-aspect").FullName, "tall.png");
        Tools.MustRun("vips", "black", path, "1", "100000");

        var user = await app.NewUserAsync();
        var answer = await user.UploadAsync(path);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Contains("\"original\":{\"width\":1,\"height\":100000,\"size\":\"1x100000\",\"aspect\":1.0e-05}", answer.Body);
        Assert.Equal(1e-05, answer.Meta.GetProperty("original").GetProperty("aspect").GetDouble());
    }
}
