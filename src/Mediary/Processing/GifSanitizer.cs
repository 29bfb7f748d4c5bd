namespace Mediary.Processing;

/// <summary>
/// Copies a GIF block by block, leaving out comment extensions and XMP application extensions,
/// which can carry personal data. Pixels, palettes and timing are copied untouched.
/// </summary>
public static class GifSanitizer
{
    private const byte ExtensionIntroducer = 0x21, ImageSeparator = 0x2C, Trailer = 0x3B;
    private const byte CommentLabel = 0xFE, ApplicationLabel = 0xFF;

    /// <summary>Returns the number of frames copied; throws <see cref="InvalidDataException"/> on a malformed file.</summary>
    public static int Copy(Stream input, Stream output)
    {
        var reader = new BinaryReader(input);
        var header = reader.ReadBytes(13);
        if (header.Length < 13) throw new InvalidDataException("truncated GIF header");
        output.Write(header);
        CopyColourTable(reader, output, header[10]);

        var frames = 0;
        while (true)
        {
            var introducer = ReadByte(reader);
            switch (introducer)
            {
                case Trailer:
                    output.WriteByte(Trailer);
                    return frames;
                case ImageSeparator:
                    var descriptor = reader.ReadBytes(9);
                    if (descriptor.Length < 9) throw new InvalidDataException("truncated image descriptor");
                    output.WriteByte(ImageSeparator);
                    output.Write(descriptor);
                    CopyColourTable(reader, output, descriptor[8]);
                    output.WriteByte(ReadByte(reader)); // LZW minimum code size
                    CopySubBlocks(reader, output);
                    frames++;
                    break;
                case ExtensionIntroducer:
                    var label = ReadByte(reader);
                    var blocks = ReadSubBlocks(reader);
                    if (label == CommentLabel || (label == ApplicationLabel && IsXmp(blocks))) break;
                    output.WriteByte(ExtensionIntroducer);
                    output.WriteByte(label);
                    foreach (var block in blocks)
                    {
                        output.WriteByte((byte)block.Length);
                        output.Write(block);
                    }
                    output.WriteByte(0);
                    break;
                default:
                    throw new InvalidDataException($"unexpected GIF block 0x{introducer:x2}");
            }
        }
    }

    private static bool IsXmp(List<byte[]> blocks) =>
        blocks.Count > 0 && blocks[0].AsSpan().StartsWith("XMP DataXMP"u8);

    /// <summary>The packed field's top bit says a colour table follows, of 3·2^(n+1) bytes.</summary>
    private static void CopyColourTable(BinaryReader reader, Stream output, byte packed)
    {
        if ((packed & 0x80) == 0) return;
        var length = 3 * (1 << ((packed & 0x07) + 1));
        var table = reader.ReadBytes(length);
        if (table.Length < length) throw new InvalidDataException("truncated colour table");
        output.Write(table);
    }

    private static void CopySubBlocks(BinaryReader reader, Stream output)
    {
        while (true)
        {
            var size = ReadByte(reader);
            output.WriteByte(size);
            if (size == 0) return;
            var data = reader.ReadBytes(size);
            if (data.Length < size) throw new InvalidDataException("truncated GIF data");
            output.Write(data);
        }
    }

    private static List<byte[]> ReadSubBlocks(BinaryReader reader)
    {
        var blocks = new List<byte[]>();
        while (ReadByte(reader) is var size and > 0)
        {
            var data = reader.ReadBytes(size);
            if (data.Length < size) throw new InvalidDataException("truncated GIF extension");
            blocks.Add(data);
        }
        return blocks;
    }

    private static byte ReadByte(BinaryReader reader)
    {
        try { return reader.ReadByte(); }
        catch (EndOfStreamException) { throw new InvalidDataException("truncated GIF"); }
    }
}
