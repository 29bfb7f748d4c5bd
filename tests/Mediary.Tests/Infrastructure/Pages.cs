using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Mediary.Tests.Infrastructure;

/// <summary>A page of a Mastodon list as a client reads it: the items, and the URLs its Link header names.</summary>
public sealed partial record Page(Answer Answer)
{
    public IReadOnlyList<JsonElement> Items => [.. Answer.Json.EnumerateArray()];

    public IReadOnlyList<string> Ids => [.. Items.Select(item => item.GetProperty("id").GetString()!)];

    /// <summary>The Link header as sent, or null without one.</summary>
    public string? Link => Answer.Response.Headers.TryGetValues("Link", out var values) ? string.Join(", ", values) : null;

    public string? Next => Rel("next");

    public string? Prev => Rel("prev");

    private string? Rel(string rel) =>
        Link is null ? null : LinkPart().Matches(Link).Where(m => m.Groups[2].Value == rel).Select(m => m.Groups[1].Value).SingleOrDefault();

    [GeneratedRegex("<([^>]*)>; rel=\"([a-z]+)\"")]
    private static partial Regex LinkPart();

    public static async Task<Page> GetAsync(User user, string url)
    {
        var answer = await Answer.FromAsync(await user.Client.GetAsync(url));
        Assert.True(answer.Status == HttpStatusCode.OK, $"GET {url}: {answer}");
        return new Page(answer);
    }

    /// <summary>Every item from <paramref name="url"/> on, following rel="next" as clients do; and how many pages that took.</summary>
    public static async Task<(List<string> Ids, int Pages)> FollowAsync(User user, string url)
    {
        var ids = new List<string>();
        var pages = 0;
        for (string? next = url; next is not null; pages++)
        {
            var page = await GetAsync(user, next);
            ids.AddRange(page.Ids);
            next = page.Next;
            Assert.True(pages < 100, "the Link header never ends");
        }
        return (ids, pages);
    }
}
