using System.Text;
using Mediary.Media;
using Mediary.Processing;

namespace Mediary.Tests.Media;

public sealed class RulesTests
{
    [Theory]
    [InlineData(600, 400, 230_400, 588, 392)]
    [InlineData(4000, 2500, 8_294_400, 3643, 2277)]
    [InlineData(32, 32, 230_400, 32, 32)]
    [InlineData(480, 480, 230_400, 480, 480)]
    public void Pixel_budget_boxes_follow_Mastodons_formula(int w, int h, long pixels, int boxW, int boxH) =>
        Assert.Equal((boxW, boxH), PixelBox.Fit(w, h, pixels));

    [Theory]
    [InlineData("0.5,-0.5", 0.5, -0.5)]
    [InlineData(" -1 , 1 ", -1.0, 1.0)]
    [InlineData("2,-3.5", 1.0, -1.0)]
    [InlineData("1e-1,0", 0.1, 0.0)]
    public void Focus_is_two_numbers_clamped_to_the_unit_square(string text, double x, double y)
    {
        var focus = FocusParser.Parse(text)!;
        Assert.Equal((x, y), (focus.X, focus.Y));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Blank_focus_leaves_it_unchanged(string? text) => Assert.Null(FocusParser.Parse(text));

    [Theory]
    [InlineData(16L * 1024 * 1024, "16 MB")]
    [InlineData(99L * 1024 * 1024, "99 MB")]
    [InlineData(200_000, "195 KB")]
    [InlineData(1536, "1.5 KB")]
    [InlineData(1000, "1000 Bytes")]
    public void Sizes_read_like_Rails_number_to_human_size(long bytes, string expected) =>
        Assert.Equal(expected, MediaMessages.HumanSize(bytes));

    [Theory]
    [InlineData("FFD8FFE0", "image/jpeg")]
    [InlineData("89504E470D0A1A0A", "image/png")]
    [InlineData("474946383961", "image/gif")]
    [InlineData("52494646000000005745425056503820", "image/webp")]
    [InlineData("0000001C667479706865696300000000", "image/heic")]
    [InlineData("00000020667479706D69663100000000617669660000", "image/avif")]
    [InlineData("3C21444F43545950452068746D6C3E", null)]
    [InlineData("25504446", null)]
    [InlineData("", null)]
    public void Types_are_sniffed_from_the_first_bytes(string hex, string? expected) =>
        Assert.Equal(expected, MediaSniffer.Sniff(Convert.FromHexString(hex))?.MimeType);

    [Theory]
    [InlineData("photo.JPG", "jpg")]
    [InlineData("photo.jpe", "jpeg")]
    [InlineData("photo.png", "jpeg")]
    [InlineData(null, "jpeg")]
    public void A_jpeg_keeps_a_jpeg_extension_only(string? name, string extension) =>
        Assert.Equal(extension, MediaSniffer.ExtensionFor(MediaSniffer.Sniff([0xFF, 0xD8, 0xFF])!, name));

    [Fact]
    public void The_gif_sanitizer_drops_comments_and_xmp_and_keeps_everything_else()
    {
        var gif = new MemoryStream();
        gif.Write("GIF89a"u8);
        gif.Write([1, 0, 1, 0, 0x80, 0, 0]);              // 1×1, global colour table of 2 entries
        gif.Write([0, 0, 0, 255, 255, 255]);
        gif.Write([0x21, 0xFE, 6]); gif.Write("SECRET"u8); gif.WriteByte(0);                 // comment
        gif.Write([0x21, 0xFF, 11]); gif.Write("XMP DataXMP"u8); gif.Write([4]); gif.Write("PRIV"u8); gif.WriteByte(0);
        gif.Write([0x21, 0xF9, 4, 0, 10, 0, 0, 0]);      // graphic control extension, kept
        gif.Write([0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0]);    // image descriptor
        gif.Write([2, 2, 0x4C, 0x01, 0]);                 // LZW data
        gif.WriteByte(0x3B);
        gif.Position = 0;

        var output = new MemoryStream();
        Assert.Equal(1, GifSanitizer.Copy(gif, output).Frames);
        var text = Encoding.Latin1.GetString(output.ToArray());
        Assert.DoesNotContain("SECRET", text);
        Assert.DoesNotContain("PRIV", text);
        Assert.Contains("\x21\xF9\x04", text);
        Assert.Equal(gif.Length - (3 + 6 + 1) - (3 + 11 + 1 + 4 + 1), output.Length);
    }

    [Fact]
    public void A_truncated_gif_is_reported_as_invalid() =>
        Assert.Throws<InvalidDataException>(() => GifSanitizer.Copy(new MemoryStream("GIF89a\x01\x00"u8.ToArray()), new MemoryStream()));
}
