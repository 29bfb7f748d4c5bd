using System.Globalization;

namespace Mediary.Media;

/// <summary>
/// The <c>focus</c> parameter: "x,y", two finite decimals, each clamped to [-1, 1]
/// (Mastodon's documented range; Mastodon itself stores any float).
/// </summary>
public static class FocusParser
{
    /// <summary>Absent or blank: leave focus unchanged. Anything else that is not two numbers: a validation error.</summary>
    public static FocusPoint? Parse(TextInput input) =>
        input.Overflowed ? throw MediaException.ValidationFailed([MediaMessages.FocusInvalid]) : Parse(input.Value);

    public static FocusPoint? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var parts = value.Split(',');
        if (parts.Length != 2 || !TryParseFinite(parts[0], out var x) || !TryParseFinite(parts[1], out var y))
        {
            throw MediaException.ValidationFailed([MediaMessages.FocusInvalid]);
        }
        return new FocusPoint { X = Math.Clamp(x, -1, 1), Y = Math.Clamp(y, -1, 1) };
    }

    private static bool TryParseFinite(string text, out double value) =>
        double.TryParse(text.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
