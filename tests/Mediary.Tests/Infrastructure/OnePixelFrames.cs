namespace Mediary.Tests.Infrastructure;

/// <summary>An animation of 1×1 frames each changing one pixel, spread over the whole screen.</summary>
internal static class OnePixelFrames
{
    public static string Write(string path, int width, int height, int frames)
    {
        using var output = new BinaryWriter(File.Create(path));
        output.Write("GIF89a"u8);
        output.Write((ushort)width);
        output.Write((ushort)height);
        output.Write([0xF0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF]); // a global table of two colours
        output.Write([0x21, 0xFF, 0x0B, .. "NETSCAPE2.0"u8, 0x03, 0x01, 0x00, 0x00, 0x00]);
        for (var i = 0; i < frames; i++)
        {
            output.Write([0x21, 0xF9, 0x04, 0x04, 0x02, 0x00, 0x00, 0x00]); // kept, 2/100 s
            output.Write((byte)0x2C);
            output.Write((ushort)(i * 7919 % width));
            output.Write((ushort)((long)i * 104_729 / width % height));
            output.Write((ushort)1);
            output.Write((ushort)1);
            output.Write((byte)0);
            // LZW, minimum code size 2: clear (4), the colour (0 or 1), end (5), 3-bit codes, least significant first.
            var codes = 4 | (i % 2) << 3 | 5 << 6;
            output.Write([0x02, 0x02, (byte)codes, (byte)(codes >> 8), 0x00]);
        }
        output.Write((byte)0x3B);
        return path;
    }
}
