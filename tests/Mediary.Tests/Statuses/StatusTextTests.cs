using Mediary.Statuses;

namespace Mediary.Tests.Statuses;

/// <summary>Mastodon's StatusLengthValidator count, and the first rule a status's text breaks.</summary>
public sealed class StatusTextTests
{
    [Theory]
    [InlineData("hello", "", 5)]
    [InlineData("hello", "cw: ", 9)]
    // A URL counts as 23, whatever its length; the full stop after it is text.
    [InlineData("see https://example.com/a/very/long/path/that/goes/on/and/on?x=1.", "", 4 + 23 + 1)]
    // Without a scheme it is not a URL for the count.
    [InlineData("example.com/abc", "", 15)]
    // A mention counts as @username, without its domain.
    [InlineData("hi @alice@social.example.org!", "", 3 + 6 + 1)]
    [InlineData("mail bob@example.org", "", 20)]
    // Grapheme clusters: a family emoji (7 UTF-16 units... 11 here) and a flag each count as one.
    [InlineData("👨‍👩‍👧‍👦🇫🇷", "", 2)]
    [InlineData("e\u0301", "", 1)]
    [InlineData("   ", "", 0)]
    public void Counts_as_Mastodon_does(string text, string spoiler, int expected) =>
        Assert.Equal(expected, StatusText.CountableLength(text, spoiler));

    [Fact]
    public void The_limit_is_inclusive_and_counts_the_spoiler_text_too()
    {
        Assert.Null(StatusText.Error(new string('a', 500), "", null, 500));
        Assert.Equal("Validation failed: Text character limit of 500 exceeded", StatusText.Error(new string('a', 501), "", null, 500));
        Assert.Equal("Validation failed: Text character limit of 500 exceeded", StatusText.Error(new string('a', 490), new string('b', 11), null, 500));
    }

    [Theory]
    [InlineData("a\0b", null, null, "Validation failed: Text contains a null byte")]
    [InlineData("ok", "c\0w", null, "Validation failed: Spoiler text contains a null byte")]
    [InlineData("ok", null, "e\0n", "Validation failed: Language contains a null byte")]
    public void A_null_character_anywhere_is_refused(string text, string? spoiler, string? language, string expected) =>
        Assert.Equal(expected, StatusText.Error(text, spoiler, language, 500));
}
