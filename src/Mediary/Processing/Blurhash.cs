namespace Mediary.Processing;

/// <summary>
/// BlurHash encoder that reproduces the woltapp/blurhash C reference (C/encode.c) character for character.
/// The reference mixes float and double arithmetic; the casts below mirror it on purpose, because a hash
/// sits on quantisation boundaries often enough that "close" is not "equal".
/// </summary>
public static class Blurhash
{
    private const string Base83 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~";

    // sRGB byte -> linear light. The cosine transform must run on linear values, and there are only 256 inputs.
    private static readonly float[] SrgbToLinear = BuildSrgbToLinear();

    /// <param name="rgb">Packed 8-bit RGB, 3 bytes per pixel, row-major, no row padding.</param>
    public static string Encode(ReadOnlySpan<byte> rgb, int width, int height, int componentsX = 4, int componentsY = 4)
    {
        if (componentsX is < 1 or > 9) throw new ArgumentOutOfRangeException(nameof(componentsX), componentsX, "Must be 1..9.");
        if (componentsY is < 1 or > 9) throw new ArgumentOutOfRangeException(nameof(componentsY), componentsY, "Must be 1..9.");
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (rgb.Length != (long)width * height * 3)
            throw new ArgumentException($"Expected {(long)width * height * 3} bytes for {width}x{height} RGB, got {rgb.Length}.", nameof(rgb));

        // basis(cx, cy, x, y) = cos(pi*cx*x/w) * cos(pi*cy*y/h) separates per axis, so tabulate each axis once.
        float[] cosX = CosineBasis(componentsX, width), cosY = CosineBasis(componentsY, height);
        int count = componentsX * componentsY;
        var factors = new float[count * 3]; // [cy][cx][rgb], DC first, like the reference

        // One pass over the pixels; every accumulator still sums in the reference's y-then-x order,
        // so the float rounding is identical to running one pass per component.
        for (int y = 0, p = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++, p += 3)
            {
                float r = SrgbToLinear[rgb[p]], g = SrgbToLinear[rgb[p + 1]], b = SrgbToLinear[rgb[p + 2]];
                for (int cy = 0, i = 0; cy < componentsY; cy++)
                {
                    float cosYv = cosY[cy * height + y];
                    for (int cx = 0; cx < componentsX; cx++, i += 3)
                    {
                        float basis = cosX[cx * width + x] * cosYv;
                        factors[i] += basis * r;
                        factors[i + 1] += basis * g;
                        factors[i + 2] += basis * b;
                    }
                }
            }
        }

        // DC is the plain average; AC terms get the factor 2 of the cosine normalisation.
        float dcScale = 1f / (width * height), acScale = 2f / (width * height);
        for (int i = 0; i < factors.Length; i++)
            factors[i] *= i < 3 ? dcScale : acScale;

        Span<char> hash = stackalloc char[6 + 2 * (count - 1)];
        WriteBase83(hash[..1], (componentsX - 1) + (componentsY - 1) * 9);

        // The AC amplitude is quantised to 83 levels and sent, so AC values can be scaled into [-1, 1].
        // The C reference takes abs() here; the npm `blurhash` package takes the signed maximum, which gives
        // different hashes for images whose largest AC value is negative.
        float maximumValue = 1;
        int quantisedMaximum = 0;
        if (count > 1)
        {
            float actualMaximum = 0;
            for (int i = 3; i < factors.Length; i++)
                actualMaximum = MathF.Max(MathF.Abs(factors[i]), actualMaximum);
            quantisedMaximum = (int)MathF.Max(0, MathF.Min(82, MathF.Floor((float)(actualMaximum * 166 - 0.5))));
            maximumValue = ((float)quantisedMaximum + 1) / 166;
        }
        WriteBase83(hash[1..2], quantisedMaximum);

        // DC goes back to 8-bit sRGB (24 bits, 4 base-83 digits).
        WriteBase83(hash[2..6], (LinearToSrgb(factors[0]) << 16) + (LinearToSrgb(factors[1]) << 8) + LinearToSrgb(factors[2]));

        // Each AC channel: sqrt-companded (more levels near zero, where the eye is sensitive), then 19 levels.
        for (int i = 3, pos = 6; i < factors.Length; i += 3, pos += 2)
            WriteBase83(hash.Slice(pos, 2), QuantiseAc(factors[i], maximumValue) * 19 * 19 + QuantiseAc(factors[i + 1], maximumValue) * 19 + QuantiseAc(factors[i + 2], maximumValue));

        return new string(hash);
    }

    private static float[] BuildSrgbToLinear()
    {
        var table = new float[256];
        for (int i = 0; i < table.Length; i++)
        {
            float v = (float)i / 255;
            table[i] = v <= 0.04045 ? (float)(v / 12.92) : MathF.Pow((float)((v + 0.055) / 1.055), 2.4f);
        }
        return table;
    }

    // The argument is computed in double then rounded to float, as `cosf(M_PI * k * x / n)` does in C.
    private static float[] CosineBasis(int components, int size)
    {
        var table = new float[components * size];
        for (int k = 0; k < components; k++)
            for (int x = 0; x < size; x++)
                table[k * size + x] = MathF.Cos((float)(Math.PI * k * x / size));
        return table;
    }

    private static int LinearToSrgb(float value)
    {
        float v = MathF.Max(0, MathF.Min(1, value));
        return v <= 0.0031308 ? (int)(v * 12.92 * 255 + 0.5) : (int)((1.055 * MathF.Pow(v, (float)(1 / 2.4)) - 0.055) * 255 + 0.5);
    }

    private static int QuantiseAc(float value, float maximumValue)
    {
        float scaled = value / maximumValue;
        float companded = MathF.CopySign(MathF.Pow(MathF.Abs(scaled), 0.5f), scaled);
        return (int)MathF.Max(0, MathF.Min(18, MathF.Floor((float)(companded * 9 + 9.5))));
    }

    private static void WriteBase83(Span<char> destination, int value)
    {
        for (int i = destination.Length - 1; i >= 0; i--, value /= 83)
            destination[i] = Base83[value % 83];
    }
}
