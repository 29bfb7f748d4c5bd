using System.Globalization;
using System.Text.RegularExpressions;
using Mediary.Media;

namespace Mediary.Statuses;

/// <summary>
/// Mastodon's rules for a status's text (<c>StatusLengthValidator</c>): the spoiler text and the
/// text together may be at most <c>max_characters</c> long, counted in grapheme clusters, with
/// every URL (with its scheme) counted as <see cref="UrlCharacters"/> and every mention as its
/// <c>@username</c> without the domain. And no text may hold U+0000 (see <see cref="TextRules"/>).
/// </summary>
public static partial class StatusText
{
    /// <summary>Mastodon's <c>characters_reserved_per_url</c>.</summary>
    public const int UrlCharacters = 23;

    private static readonly string UrlPlaceholder = new('x', UrlCharacters);

    /// <summary>
    /// A URL as Mastodon's extractor finds one (scheme required, not inside a word), without the
    /// punctuation that ends a sentence; or a mention, <c>@user</c> or <c>@user@domain</c>.
    /// Left to right, so an entity never overlaps an earlier one.
    /// </summary>
    [GeneratedRegex(@"(?<url>(?<![\p{L}\p{N}_@$#])https?://[^\s<>""]*[^\s<>"".,:;!?'\)\]])|(?<![=/\p{L}\p{N}_])@(?<user>[a-z0-9_]+(?:[.-]+[a-z0-9_]+)*)(?:@[\p{L}\p{N}_.-]+[\p{L}\p{N}_]+)?",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Entities();

    /// <summary>The length Mastodon checks against <c>max_characters</c>.</summary>
    public static int CountableLength(string? text, string? spoilerText)
    {
        var countable = string.IsNullOrWhiteSpace(text) ? "" : Entities().Replace(text, entity =>
            entity.Groups["url"].Success ? UrlPlaceholder : "@" + entity.Groups["user"].Value);
        return new StringInfo((spoilerText ?? "") + countable).LengthInTextElements;
    }

    /// <summary>Mastodon's message for the first rule the status breaks, or null.</summary>
    public static string? Error(string? text, string? spoilerText, string? language, int maxCharacters)
    {
        string?[] problems =
        [
            TextRules.NullCharacterError("Text", text),
            TextRules.NullCharacterError("Spoiler text", spoilerText),
            TextRules.NullCharacterError("Language", language),
        ];
        if (problems.FirstOrDefault(problem => problem is not null) is { } problem) return $"Validation failed: {problem}";
        return CountableLength(text, spoilerText) > maxCharacters ? $"Validation failed: Text character limit of {maxCharacters} exceeded" : null;
    }
}
