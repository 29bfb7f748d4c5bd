using System.Net;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Media;

public sealed class ConcurrencyTests(MediaryApp app) : IClassFixture<MediaryApp>
{
    [Fact]
    public async Task Sixteen_simultaneous_uploads_on_two_helpers_all_succeed()
    {
        var users = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => app.NewUserAsync()));
        string[] files = ["600x400.jpg", "600x400.png", "600x400.webp", "large-4000x2500.jpg"];
        var uploads = Enumerable.Range(0, 16).Select(i => users[i % 4].UploadAsync(Fixtures.Path(files[i % files.Length]), i % 2 == 0 ? "v1" : "v2"));
        var answers = await Task.WhenAll(uploads);

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.OK, answer.Status));
        Assert.Equal(16, answers.Select(a => a.Id).Distinct().Count());
        for (var i = 0; i < answers.Length; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await users[i % 4].GetMediaAsync(answers[i].Id)).Status);
        }
    }
}
