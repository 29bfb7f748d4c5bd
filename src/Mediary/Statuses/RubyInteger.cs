namespace Mediary.Statuses;

/// <summary>Ruby's <c>String#to_i</c>, which Mastodon applies to the media ids of a status.</summary>
public static class RubyInteger
{
    /// <summary>
    /// The integer at the start of <paramref name="text"/>, in canonical decimal and of any size:
    /// leading whitespace, a sign, then ASCII digits with single underscores between them; 0 when
    /// there are none ("12abc" is 12, "abc" is 0, "007" is 7, "1_000" is 1000).
    /// </summary>
    public static string ToI(string text)
    {
        var i = 0;
        while (i < text.Length && text[i] is ' ' or '\t' or '\n' or '\v' or '\f' or '\r') i++;
        var negative = i < text.Length && text[i] == '-';
        if (i < text.Length && text[i] is '+' or '-') i++;
        var digits = new System.Text.StringBuilder();
        while (i < text.Length)
        {
            if (char.IsAsciiDigit(text[i])) digits.Append(text[i]);
            else if (text[i] != '_' || digits.Length == 0 || i + 1 == text.Length || !char.IsAsciiDigit(text[i + 1])) break;
            i++;
        }
        var number = digits.ToString().TrimStart('0');
        return number.Length == 0 ? "0" : negative ? "-" + number : number;
    }
}
