using System.Buffers.Binary;

namespace Mediary.Processing;

/// <summary>
/// One pass of <see cref="GifSanitizer"/> over a GIF's blocks (GIF89a, section 17 onwards): without
/// an output it measures into the <see cref="GifLayout"/>; with one, it writes the clean copy.
/// </summary>
internal sealed class GifPass(Stream input, GifLayout layout, Stream? output)
{
    private const byte ExtensionIntroducer = 0x21, ImageSeparator = 0x2C, Trailer = 0x3B;
    private const byte GraphicControlLabel = 0xF9, ApplicationLabel = 0xFF, PlainTextLabel = 0x01;

    // The transparent 1×1 frame that stands for a frame with nothing visible: a graphic control
    // with "do not dispose" and transparent index 0 (the delay is added), a descriptor at 0,0 with
    // a 2-entry local colour table, and LZW data of minimum code size 2 holding clear, 0, end.
    private static readonly byte[] PlaceholderDescriptor = [ImageSeparator, 0, 0, 0, 0, 1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 0];
    private static readonly byte[] PlaceholderData = [2, 2, 0x44, 0x01, 0];
    private const byte PlaceholderControl = 0b0000_0101;

    private readonly byte[] _block = new byte[255];
    private byte[]? _pendingControl;

    public void Run()
    {
        Span<byte> header = stackalloc byte[13];
        Read(header);
        if (!header[..3].SequenceEqual("GIF"u8)) throw new InvalidDataException("not a GIF");
        layout.Screen(BinaryPrimitives.ReadUInt16LittleEndian(header[6..]), BinaryPrimitives.ReadUInt16LittleEndian(header[8..]));
        if (output is not null)
        {
            // A GIF87a stays one unless something of GIF89a is written.
            var gif87 = header[3..6].SequenceEqual("87a"u8) && !layout.HasControl && layout.LoopCount is null && !layout.HasPlaceholder;
            output.Write(gif87 ? "GIF87a"u8 : "GIF89a"u8);
            Span<byte> screen = stackalloc byte[7];
            header[6..].CopyTo(screen);
            BinaryPrimitives.WriteUInt16LittleEndian(screen, (ushort)layout.Width);
            BinaryPrimitives.WriteUInt16LittleEndian(screen[2..], (ushort)layout.Height);
            output.Write(screen);
        }
        CopyColourTable(header[10]);
        if (output is not null && layout.LoopCount is { } loops) WriteLoopExtension(loops);

        while (true)
        {
            switch (ReadByte())
            {
                case Trailer:
                    output?.WriteByte(Trailer);
                    return;
                case ImageSeparator:
                    Frame();
                    break;
                case ExtensionIntroducer:
                    Extension(ReadByte());
                    break;
                case var other:
                    throw new InvalidDataException($"unexpected GIF block 0x{other:x2}");
            }
        }
    }

    private void Frame()
    {
        Span<byte> descriptor = stackalloc byte[9];
        Read(descriptor);
        var left = BinaryPrimitives.ReadUInt16LittleEndian(descriptor);
        var top = BinaryPrimitives.ReadUInt16LittleEndian(descriptor[2..]);
        var visible = layout.Place(left, top, BinaryPrimitives.ReadUInt16LittleEndian(descriptor[4..]), BinaryPrimitives.ReadUInt16LittleEndian(descriptor[6..]));
        var control = _pendingControl;
        _pendingControl = null;
        if (output is null || !visible)
        {
            if (output is not null) WritePlaceholder(control);
            Skip(ColourTableLength(descriptor[8]));
            ReadMinimumCodeSize();
            SkipSubBlocks();
            return;
        }

        if (control is not null) WriteControl(control);
        BinaryPrimitives.WriteUInt16LittleEndian(descriptor, (ushort)(left - layout.OffsetX));
        BinaryPrimitives.WriteUInt16LittleEndian(descriptor[2..], (ushort)(top - layout.OffsetY));
        descriptor[8] &= 0b1110_0111; // the reserved bits
        output.WriteByte(ImageSeparator);
        output.Write(descriptor);
        CopyColourTable(descriptor[8]);
        CopyImageData();
    }

    private void Extension(byte label)
    {
        var first = ReadSubBlock();
        switch (label)
        {
            // A graphic control applies to the next image; to a plain text block it goes with it.
            case GraphicControlLabel:
                _pendingControl = first >= 4 ? _block[..4] : null;
                layout.HasControl |= _pendingControl is not null;
                break;
            case PlainTextLabel:
                _pendingControl = null;
                break;
            case ApplicationLabel when first == 11 && (_block.AsSpan(0, 11).SequenceEqual("NETSCAPE2.0"u8) || _block.AsSpan(0, 11).SequenceEqual("ANIMEXTS1.0"u8)):
                // Sub-block 1 is the loop count; the first loop extension counts, as in browsers.
                while (ReadSubBlock() is var length and > 0)
                {
                    if (length >= 3 && _block[0] == 1) layout.LoopCount ??= BinaryPrimitives.ReadUInt16LittleEndian(_block.AsSpan(1));
                }
                return;
        }
        if (first > 0) SkipSubBlocks();
    }

    private void WriteControl(byte[] control)
    {
        var transparent = (control[0] & 1) != 0;
        output!.Write([ExtensionIntroducer, GraphicControlLabel, 4, (byte)(control[0] & 0b0001_1111), control[1], control[2],
            transparent ? control[3] : (byte)0, 0]);
    }

    private void WritePlaceholder(byte[]? control)
    {
        output!.Write([ExtensionIntroducer, GraphicControlLabel, 4, PlaceholderControl, control?[1] ?? (byte)0, control?[2] ?? (byte)0, 0, 0]);
        output.Write(PlaceholderDescriptor);
        output.Write(PlaceholderData);
    }

    private void WriteLoopExtension(int loops) =>
        output!.Write([ExtensionIntroducer, ApplicationLabel, 11, .. "NETSCAPE2.0"u8, 3, 1, (byte)loops, (byte)(loops >> 8), 0]);

    /// <summary>The LZW data, cut after the code that ends the picture, in sub-blocks as they came.</summary>
    private void CopyImageData()
    {
        var minimumCodeSize = ReadMinimumCodeSize();
        output!.WriteByte(minimumCodeSize);
        var codes = new GifLzwEnd(minimumCodeSize);
        while (ReadSubBlock() is var length and > 0)
        {
            if (codes.Ended) continue;
            var kept = codes.Feed(_block.AsSpan(0, length));
            output.WriteByte((byte)kept);
            output.Write(_block, 0, kept);
        }
        output.WriteByte(0);
    }

    /// <summary>GIF89a allows 2 to 8; 1 (bilevel) and up to 11 still decode, beyond that the codes would exceed 12 bits.</summary>
    private byte ReadMinimumCodeSize()
    {
        var size = ReadByte();
        return size is >= 1 and <= 11 ? size : throw new InvalidDataException($"LZW minimum code size {size}");
    }

    /// <summary>A colour table follows when the packed field's top bit is set: 3·2^(n+1) bytes.</summary>
    private static int ColourTableLength(byte packed) => (packed & 0x80) == 0 ? 0 : 3 * (1 << ((packed & 0x07) + 1));

    private void CopyColourTable(byte packed)
    {
        var length = ColourTableLength(packed);
        if (output is null)
        {
            Skip(length);
            return;
        }
        Span<byte> table = stackalloc byte[768];
        Read(table[..length]);
        output.Write(table[..length]);
    }

    /// <summary>Reads one sub-block into the buffer; returns its length (0: the terminator).</summary>
    private int ReadSubBlock()
    {
        var length = ReadByte();
        Read(_block.AsSpan(0, length));
        return length;
    }

    private void SkipSubBlocks()
    {
        while (ReadByte() is var length and > 0) Skip(length);
    }

    private void Skip(int count)
    {
        if (input.Length - input.Position < count) throw new InvalidDataException("truncated GIF");
        input.Position += count;
    }

    private void Read(Span<byte> buffer)
    {
        if (input.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false) < buffer.Length) throw new InvalidDataException("truncated GIF");
    }

    private byte ReadByte() => input.ReadByte() is var value and >= 0 ? (byte)value : throw new InvalidDataException("truncated GIF");
}
