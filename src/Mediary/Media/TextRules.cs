namespace Mediary.Media;

/// <summary>
/// What any text the core stores must be, on every database engine: PostgreSQL's text type
/// cannot hold U+0000 (SQLite can), so the character is refused before anything is written,
/// and the same input gets the same answer on both.
/// </summary>
public static class TextRules
{
    public static bool HasNullCharacter(string? value) => value?.Contains('\0') == true;

    /// <summary>The fragment of a Mastodon validation message (after "Validation failed: ") for <paramref name="field"/>.</summary>
    public static string? NullCharacterError(string field, string? value) =>
        HasNullCharacter(value) ? $"{field} contains a null byte" : null;
}
