using System.Buffers.Binary;

namespace Mediary.Tests.Processing;

/// <summary>
/// Writes small GIFs block by block, for layouts no encoder makes: a palette of red, green, blue
/// and black (indices 0-3), frames anywhere on or off the screen, any extension in between.
/// </summary>
public sealed class GifBytes
{
    private readonly MemoryStream _gif = new();

    public GifBytes(int screenWidth, int screenHeight)
    {
        _gif.Write("GIF89a"u8);
        Write16(screenWidth);
        Write16(screenHeight);
        _gif.Write([0x81, 0, 0]); // a global colour table of 4 entries
        _gif.Write([255, 0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0]);
    }

    public GifBytes Loop(int count)
    {
        _gif.Write([0x21, 0xFF, 11, .. "NETSCAPE2.0"u8, 3, 1, (byte)count, (byte)(count >> 8), 0]);
        return this;
    }

    public GifBytes Application(string identifier, string payload)
    {
        _gif.Write([0x21, 0xFF, 11, .. System.Text.Encoding.ASCII.GetBytes(identifier)]);
        SubBlocks(System.Text.Encoding.ASCII.GetBytes(payload));
        return this;
    }

    /// <summary>A frame of one colour, after a graphic control with <paramref name="delay"/> (hundredths of a second).</summary>
    public GifBytes Frame(int left, int top, int width, int height, byte colour, int delay = 10, byte[]? hiddenAfterEnd = null)
    {
        _gif.Write([0x21, 0xF9, 4, 0b0000_0100, (byte)delay, (byte)(delay >> 8), 0, 0]);
        _gif.WriteByte(0x2C);
        Write16(left);
        Write16(top);
        Write16(width);
        Write16(height);
        _gif.WriteByte(0);
        _gif.WriteByte(2); // LZW minimum code size
        var data = Lzw(Enumerable.Repeat(colour, width * height));
        SubBlocks(hiddenAfterEnd is null ? data : [.. data, .. hiddenAfterEnd]);
        return this;
    }

    public byte[] End(byte[]? afterTrailer = null)
    {
        _gif.WriteByte(0x3B);
        if (afterTrailer is not null) _gif.Write(afterTrailer);
        return _gif.ToArray();
    }

    /// <summary>
    /// Every pixel as a literal 3-bit code, with a clear code every 2 pixels: before the decoder's
    /// table reaches 8 entries and its codes widen to 4 bits.
    /// </summary>
    private static byte[] Lzw(IEnumerable<byte> pixels)
    {
        const int clear = 4, end = 5, literalsPerClear = 2;
        var codes = new List<int> { clear };
        var run = 0;
        foreach (var pixel in pixels)
        {
            if (run == literalsPerClear)
            {
                codes.Add(clear);
                run = 0;
            }
            codes.Add(pixel);
            run++;
        }
        codes.Add(end);
        var bytes = new List<byte>();
        int accumulator = 0, bits = 0;
        foreach (var code in codes)
        {
            accumulator |= code << bits;
            bits += 3;
            for (; bits >= 8; bits -= 8, accumulator >>= 8) bytes.Add((byte)accumulator);
        }
        if (bits > 0) bytes.Add((byte)accumulator);
        return [.. bytes];
    }

    private void SubBlocks(byte[] data)
    {
        foreach (var chunk in data.Chunk(255))
        {
            _gif.WriteByte((byte)chunk.Length);
            _gif.Write(chunk);
        }
        _gif.WriteByte(0);
    }

    private void Write16(int value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)value);
        _gif.Write(bytes);
    }
}
