using System.Net;

namespace Mediary.Tests.Infrastructure;

public static class Polling
{
    /// <summary>
    /// Whether <paramref name="condition"/> became true within <paramref name="timeout"/>, for what
    /// a worker finishes a moment after a client sees the result (the job's own row, cleanup).
    /// </summary>
    public static async Task<bool> UntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(50);
        }
        return true;
    }

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
