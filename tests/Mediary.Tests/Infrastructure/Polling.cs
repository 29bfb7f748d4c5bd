using System.Net;

namespace Mediary.Tests.Infrastructure;

public static class Polling
{
    /// <summary>Polls GET /api/v1/media/:id as Mastodon clients do until it stops answering 206.</summary>
    public static async Task<Answer> WaitUntilProcessedAsync(this User user, string id, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        while (true)
        {
            var answer = await user.GetMediaAsync(id);
            if (answer.Status != HttpStatusCode.PartialContent) return answer;
            Assert.Equal(System.Text.Json.JsonValueKind.Null, answer.Json.GetProperty("url").ValueKind);
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"media {id} still processing: {answer}");
            await Task.Delay(100);
        }
    }
}
