namespace Mediary.Processing;

/// <summary>
/// Follows a GIF frame's LZW codes without decoding pixels, to find where the picture ends: at
/// the end-of-information code, or at the first code no decoder can read. Bytes after that are
/// ignored by every decoder and could carry anything, so <see cref="GifSanitizer"/> cuts them.
/// </summary>
internal sealed class GifLzwEnd
{
    // GIF89a appendix F: codes start one bit wider than the minimum code size, grow by a bit each
    // time the table fills the current width, and stop growing at 12 bits.
    private const int MaxCodeBits = 12;

    private readonly int _minimumCodeSize, _clear, _end;
    private int _codeSize, _next;
    private bool _afterClear = true;
    private int _accumulator, _bits;

    public GifLzwEnd(int minimumCodeSize)
    {
        _minimumCodeSize = minimumCodeSize;
        _clear = 1 << minimumCodeSize;
        _end = _clear + 1;
        Reset();
    }

    public bool Ended { get; private set; }

    /// <summary>Reads <paramref name="data"/>; returns how many of its bytes belong to the picture (all, unless it ended in them).</summary>
    public int Feed(ReadOnlySpan<byte> data)
    {
        for (var i = 0; i < data.Length; i++)
        {
            if (Ended) return i;
            _accumulator |= data[i] << _bits;
            _bits += 8;
            while (_bits >= _codeSize && !Ended) ReadCode();
        }
        return data.Length;
    }

    private void ReadCode()
    {
        var code = _accumulator & ((1 << _codeSize) - 1);
        _accumulator >>= _codeSize;
        _bits -= _codeSize;
        if (code == _clear)
        {
            Reset();
            return;
        }
        // A code beyond the next table entry cannot be decoded: decoders stop there as at the end code.
        if (code == _end || code > _next || (_afterClear && code == _next))
        {
            Ended = true;
            return;
        }
        if (!_afterClear && _next < 1 << MaxCodeBits) _next++;
        _afterClear = false;
        if (_next == 1 << _codeSize && _codeSize < MaxCodeBits) _codeSize++;
    }

    private void Reset()
    {
        _codeSize = _minimumCodeSize + 1;
        _next = _clear + 2;
        _afterClear = true;
    }
}
