using Mediary.Processing;

namespace Mediary.Tests.Processing;

/// <summary><see cref="PdfTools.ParseInfo"/> on pdfinfo 22.12 output (pure).</summary>
public sealed class PdfInfoParsingTests
{
    private const string Letter = """
        Custom Metadata: no
        Metadata Stream: no
        Tagged:          no
        UserProperties:  no
        Suspects:        no
        Form:            none
        JavaScript:      no
        Pages:           3
        Encrypted:       no
        Page    1 size:  612 x 792 pts (letter)
        Page    1 rot:   0
        File size:       1195 bytes
        Optimized:       no
        PDF version:     1.4
        """;

    [Fact]
    public void Page_count_and_first_page_size() =>
        Assert.Equal(new PdfInfo(3, 612, 792), PdfTools.ParseInfo(Letter));

    [Theory]
    [InlineData("90", 842, 595.276)]
    [InlineData("270", 842, 595.276)]
    [InlineData("180", 595.276, 842)]
    public void Quarter_turns_swap_width_and_height(string rotation, double width, double height)
    {
        var output = Letter.Replace("612 x 792 pts (letter)", "595.276 x 842 pts (A4)").Replace("rot:   0", "rot:   " + rotation);
        Assert.Equal(new PdfInfo(3, width, height), PdfTools.ParseInfo(output));
    }

    [Fact]
    public void Sizes_in_exponent_notation_are_read() =>
        Assert.Equal(new PdfInfo(3, 2e6, 792), PdfTools.ParseInfo(Letter.Replace("612 x", "2e+06 x")));

    [Fact]
    public void A_title_with_line_breaks_cannot_fake_the_page_count()
    {
        // Real pdfinfo output for a 300x100 pt page whose /Title is "x\nPages: 99\nPage 1 size: 1 x 2 pts".
        const string output = """
            Title:           x
            Pages:           99
            Page    1 size:  1 x 2 pts
            Custom Metadata: no
            Metadata Stream: no
            Tagged:          no
            UserProperties:  no
            Suspects:        no
            Form:            none
            JavaScript:      no
            Pages:           1
            Encrypted:       no
            Page    1 size:  300 x 100 pts
            Page    1 rot:   90
            File size:       453 bytes
            Optimized:       no
            PDF version:     1.4
            """;
        Assert.Equal(new PdfInfo(1, 100, 300), PdfTools.ParseInfo(output));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Pages:           0\nPage    1 size:  612 x 792 pts\n")]
    [InlineData("Pages:           99999999999\nPage    1 size:  612 x 792 pts\n")]
    [InlineData("Pages:           1\n")]
    [InlineData("Pages:           1\nPage    1 size:  0 x 792 pts\n")]
    [InlineData("Pages:           1\nPage    1 size:  inf x 792 pts\n")]
    public void Output_without_pages_or_size_is_a_format_error(string output) =>
        Assert.Throws<FormatException>(() => PdfTools.ParseInfo(output));
}
