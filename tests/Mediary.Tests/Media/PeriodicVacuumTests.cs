using System.Net;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Media;

public sealed class PeriodicVacuumTests(FrequentVacuumApp app) : IClassFixture<FrequentVacuumApp>
{
    [Fact]
    public async Task The_server_vacuums_by_itself_on_its_interval()
    {
        var user = await app.NewUserAsync();
        var old = await VacuumTests.OldMediaAsync(app, user, TimeSpan.FromDays(2));
        var young = await VacuumTests.OldMediaAsync(app, user, TimeSpan.FromHours(23));

        var deadline = DateTime.UtcNow.AddSeconds(30);
        // The row goes first, its files a moment later.
        while ((await user.GetMediaAsync(old.Id)).Status != HttpStatusCode.NotFound || await app.IsStoredAsync(old.Url))
        {
            Assert.True(DateTime.UtcNow < deadline, "the periodic vacuum never removed the old media");
            await Task.Delay(200);
        }
        await VacuumTests.AssertGoneAsync(app, user, old);

        // Another old media, made now: once a later run has removed it, the young one has been
        // looked at again, and kept.
        var marker = await VacuumTests.OldMediaAsync(app, user, TimeSpan.FromDays(2));
        Assert.True(await Polling.UntilAsync(async () => (await user.GetMediaAsync(marker.Id)).Status == HttpStatusCode.NotFound, TimeSpan.FromSeconds(30)),
            "the periodic vacuum never ran again");
        Assert.Equal(HttpStatusCode.OK, (await user.GetMediaAsync(young.Id)).Status);
    }
}
