using Mediary.Processing;

namespace Mediary.Tests.Processing;

public class BlurhashTests
{
    // Expected hashes were printed by the woltapp/blurhash C reference encoder, C/encode.c at commit
    // 0a1f97898d9eb8952bc528cd7a8ec73d9fecf5d0, compiled with gcc 12.2 (-O2; -O0 and the Makefile's -Ofast print
    // the same strings), fed pixels from exactly the integer formulas in Pixels() below. They were NOT produced
    // by the C# encoder. The gradient, modgrad, checker, nonsquare and large (3x5) rows would change if the
    // maximum AC value were taken without abs(), as the npm package does.
    public static TheoryData<string, int, int, int, int, string> ReferenceVectors => new()
    {
        { "gradient", 32, 32, 4, 4, "U$Het82swxX8l}WDjte;gJfjfQfjnmWpjtfQ" },
        { "gradient", 32, 32, 1, 1, "00Het8" },
        { "gradient", 32, 32, 9, 9, "|$Het82swxX8a|ofWpofWpl}WDjte;fQe;fQe;fQgJfjfQfjfQfjfQfjfQnmWpjtfQfQfQfQfQfQf7fQfQfQfQfQfQfQfQofWpjtfQfQfQfQfQfQe;fQfQfQfQfQfQfQfQofWpjtfQfQfQfQfQfQe;fQfQfQfQfQfQfQfQ" },
        { "gradient", 32, 32, 3, 5, "c$Het82swxl}WDjtgJfjfQnmWpjtf7fQfQ" },
        { "gradient", 32, 32, 5, 3, "M$Het82swxX8a|l}WDjte;fQgJfjfQfjfQ" },

        { "modgrad", 64, 48, 4, 4, "UMHoB%OQwZ2mM_M{EM9^NEs8J9,GoZbXWFkV" },
        { "modgrad", 64, 48, 1, 1, "00HoB%" },
        { "modgrad", 64, 48, 9, 9, "|MHoB%OQwZ2mAn$eNrs*aKM_M{EM9^@{v*rdItaPNEs8J9,GxGS}KOTH$%oZbXWFkVR:X8R.$hepacW.aijdsDW=oJWnbXt1ahbJbIbIaebqnin$X2jIWFkCnjaefzjZWFsRflbbj[aefzW.ofjJawa$aiayoHayj]fAa$" },
        { "modgrad", 64, 48, 3, 5, "c8HoB%Bv;ID$Dj0h9;#j5.x8XMRpZ|W-V}" },
        { "modgrad", 64, 48, 5, 3, "MMHoB%OQwZ2mAnM_M{EM9^@{NEs8J9,GxG" },

        { "checker", 40, 40, 4, 4, "U6J3TZ,w6V,w,wjufQju6VfQ23fQ,wjufQju" },
        { "checker", 40, 40, 1, 1, "00J3TZ" },
        { "checker", 40, 40, 9, 9, "|UJ3TZsqNysqF4fU$Ksqn~sqfQfQfQfQfQfQfQfQNyfQNzfQF4SP$KfQn~sqfQfQfQfQfQfQfQfQF4fQF4fQ23JW;]fQsRfUfQSPfQJWWrwufQo0$KfQ$KfQ;]wuF4fQWrsqfQfQfQfQfQfQfQfQn~fQn~fQsRo0WrfQa}" },
        { "checker", 40, 40, 3, 5, "cEJ3TZw~F4w~jufQF4fQF4w~jufQ6VfQ23" },
        { "checker", 40, 40, 5, 3, "MEJ3TZw~F4w~6Vw~jufQjufQF4fQF4fQ23" },

        { "spot", 50, 50, 4, 4, "U8NSymp^O?{M{gK$TI*}nibHbHnjp^v#rrK%" },
        { "spot", 50, 50, 1, 1, "00NSym" },
        { "spot", 50, 50, 9, 9, "|8NSymp^O?{MGs-pz=yWni{gK$TI*}K$j[v#O=ninibHbHnjbHfQjZbHfQp^v#rrK%v#j[TIrrbHG@z=rYGsz=fQO?v$X7uNv#rrK$v#j[S~rsbHX8nijZX8nifQbHjZfQ=yXRX8rrX8j[nibafQrYS}X8rrXRfQjGbHbH" },
        { "spot", 50, 50, 3, 5, "c7NSymp^O?{fK%O=nibabHp^vhrrCjz;v$" },
        { "spot", 50, 50, 5, 3, "M8NSymp^O?{MGs{gK$TI*}K$nibHbHnjbH" },

        { "single", 1, 1, 4, 4, "U~TNoS~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O" },
        { "single", 1, 1, 1, 1, "00TNoS" },
        { "single", 1, 1, 9, 9, "|~TNoS~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O~O" },
        { "single", 1, 1, 3, 5, "c~TNoS~O~O~O~O~O~O~O~O~O~O~O~O~O~O" },
        { "single", 1, 1, 5, 3, "M~TNoS~O~O~O~O~O~O~O~O~O~O~O~O~O~O" },

        { "nonsquare", 37, 11, 4, 4, "UnG952J^Jo6{upa#WqWWf}fRfQfQxabEWqW." },
        { "nonsquare", 37, 11, 1, 1, "00G952" },
        { "nonsquare", 37, 11, 9, 9, "|nG952J^Jo6{,X$iN@OXwvupa#WqWWo2jaa|azjtf}fRfQfQfQfQfQfQfQxabEWqW.o1j@a|bHjseVf8fQf7fQf7fQf7fQxtbEWqW.o1j@a{bHjseVf8fQf7fQf7fQf7fQx@bEWqW.o1j@a{bHjseCf8fQf7fQf7fQf7fQ" },
        { "nonsquare", 37, 11, 3, 5, "cnG952J^Joupa#Wqf}fRfQxabEWqeVf8fQ" },
        { "nonsquare", 37, 11, 5, 3, "MnG952J^Jo6{,Xupa#WqWWo2f}fRfQfQfQ" },

        { "large", 100, 67, 4, 4, "UGGlbCI7ISGhReZ%ZqTJiaY_ZGd6taX,c:Z$" },
        { "large", 100, 67, 1, 1, "00GlbC" },
        { "large", 100, 67, 9, 9, "|GGlbCI7ISGhInO+EgK7S~ReZ%ZqTJV~s=NMjWbpiaY_ZGd6ietIR6euTctaX,c:Z$nNohksawiwR#bxWTm-Zsbwp7n}noski+i]b1Z=c3bdb1k8f}bvb.kGgpi+V#avesr|Z%Z=k%adfnV?b1otW?bpbdemg4jFjJkijK" },
        { "large", 100, 67, 3, 5, "cGGlbCI7ISReZ%ZqiaY_ZGtaX,c:R#bxWT" },
        { "large", 100, 67, 5, 3, "MGGlbCI7ISGhInReZ%ZqTJV~iaY_ZGd6ie" },

        { "uniform", 20, 20, 4, 4, "U3AVWt.hfQ.h.hkBfQkBfQfQfQfQ.hkBfQkB" },
        { "uniform", 20, 20, 1, 1, "00AVWt" },
        { "uniform", 20, 20, 9, 9, "|3AVWt.hfQ.hfQ.hfQ.hfQ.hkBfQkBfQkBfQkBfQfQfQfQfQfQfQfQfQfQ.hkBfQkBfQkBfQkBfQfQfQfQfQfQfQfQfQfQ.hkBfQkBfQkBfQkBfQfQfQfQfQfQfQfQfQfQ.hkBfQkBfQkBfQkBfQfQfQfQfQfQfQfQfQfQ" },
        { "uniform", 20, 20, 3, 5, "c3AVWt.hfQ.hkBfQfQfQfQ.hkBfQfQfQfQ" },
        { "uniform", 20, 20, 5, 3, "M3AVWt.hfQ.hfQ.hkBfQkBfQfQfQfQfQfQ" },

        { "dark", 16, 16, 4, 4, "U009jubGfQbGj@fQfQfQf7fQfQfQj@fQfQfQ" },
        { "dark", 16, 16, 1, 1, "0009ju" },
        { "dark", 16, 16, 9, 9, "|009jubGfQbGfQbGfQW:Wpj@fQfQfQfQfQfQfQa|f7fQfQfQfQfQfQfQfQj@fQfQfQfQfQfQfQa|f7fQfQfQfQfQfQfQfQj@fQfQfQfQfQfQfQa|f7fQfQfQfQfQfQfQfQj@fQfQfQfQfQfQfQa|f7fQfQfQfQfQfQfQfQ" },
        { "dark", 16, 16, 3, 5, "c009jubGfQj@fQfQf7fQfQj@fQfQf7fQfQ" },
        { "dark", 16, 16, 5, 3, "M009jubGfQbGfQj@fQfQfQfQf7fQfQfQfQ" },

        { "noise", 100, 100, 4, 4, "U1HetW}_%M^S=gO-RZwPxtVFK*e[=%TtXnCH" },
        { "noise", 100, 100, 1, 1, "00HetW" },
        { "noise", 100, 100, 9, 9, "|2HetW?0xu-XoY-EEK??X--CTEV~sEn$IEK2m.w5tPVZO@e@s6Nrs;XAtl$-X%XTKvxtWAw[M,S5E]srobO=afOTrZb[tQ?7N=$^VsrXs%rtxsiwV$OWoMnVS~adaRR:WBtSXTbqSut1oanVjK%LNHacJ}O+TXa8rfNgpY" },
        { "noise", 100, 100, 3, 5, "c1HetW}_%M=gO-RZxtVFK*=%TtXn6GxJou" },
        { "noise", 100, 100, 5, 3, "M1HetW}_%M^Soq=gO-RZwPn$xtVFK*e[wY" },
    };

    [Theory]
    [MemberData(nameof(ReferenceVectors))]
    public void Encode_matches_C_reference(string pattern, int width, int height, int componentsX, int componentsY, string expected)
    {
        byte[] rgb = Pixels(pattern, width, height);

        Assert.Equal(expected, Blurhash.Encode(rgb, width, height, componentsX, componentsY));
    }

    [Fact]
    public void Default_components_are_4x4()
    {
        byte[] rgb = Pixels("large", 100, 67);

        Assert.Equal("UGGlbCI7ISGhReZ%ZqTJiaY_ZGd6taX,c:Z$", Blurhash.Encode(rgb, 100, 67));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(4, 3)]
    [InlineData(9, 9)]
    public void Hash_length_and_size_flag_follow_the_format(int componentsX, int componentsY)
    {
        string hash = Blurhash.Encode(Pixels("modgrad", 64, 48), 64, 48, componentsX, componentsY);

        Assert.Equal(4 + 2 * componentsX * componentsY, hash.Length);
        const string base83 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~";
        Assert.Equal((componentsX - 1) + (componentsY - 1) * 9, base83.IndexOf(hash[0]));
    }

    [Theory]
    [InlineData(0, 4)]
    [InlineData(10, 4)]
    [InlineData(4, 0)]
    [InlineData(4, 10)]
    [InlineData(-1, 4)]
    public void Rejects_component_counts_outside_1_to_9(int componentsX, int componentsY)
    {
        byte[] rgb = new byte[4 * 4 * 3];

        Assert.ThrowsAny<ArgumentException>(() => Blurhash.Encode(rgb, 4, 4, componentsX, componentsY));
    }

    [Theory]
    [InlineData(4, 4, 47)]
    [InlineData(4, 4, 49)]
    [InlineData(4, 4, 0)]
    [InlineData(3, 4, 48)] // right byte count for 4x4, wrong for 3x4
    public void Rejects_pixel_buffer_of_wrong_length(int width, int height, int length)
    {
        byte[] rgb = new byte[length];

        Assert.ThrowsAny<ArgumentException>(() => Blurhash.Encode(rgb, width, height));
    }

    [Theory]
    [InlineData(0, 4)]
    [InlineData(4, 0)]
    [InlineData(-2, -2)]
    public void Rejects_empty_or_negative_dimensions(int width, int height)
    {
        Assert.ThrowsAny<ArgumentException>(() => Blurhash.Encode(new byte[12], width, height));
    }

    // Same formulas as the C driver that produced the vectors: integer arithmetic only, so both sides see the
    // same bytes. Pixel order is row-major; "noise" draws r, g, b per pixel in that order from one LCG seeded
    // with 1 per image.
    private static byte[] Pixels(string pattern, int w, int h)
    {
        var rgb = new byte[w * h * 3];
        uint lcg = 1;
        for (int y = 0, p = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++, p += 3)
            {
                (int r, int g, int b) = pattern switch
                {
                    "gradient" => (x * 255 / (w - 1), y * 255 / (h - 1), 128),
                    "modgrad" => ((x * 7 + y * 3) % 256, (x * x + y * 5) % 256, (x * y) % 256),
                    "checker" => (x / 8 + y / 8) % 2 == 1 ? (230, 40, 30) : (20, 20, 200),
                    // mostly one colour with a saturated red disc of radius 6 at (35, 12)
                    "spot" => (x - 35) * (x - 35) + (y - 12) * (y - 12) < 36 ? (255, 0, 0) : (200, 180, 160),
                    "single" => (255, 128, 0),
                    "nonsquare" => (x * 13 % 256, y * 23 % 256, (x + y) * 5 % 256),
                    "large" => ((x * x + y) % 256, ((x * 3) ^ (y * 5)) & 255, x * y / 7 % 256),
                    "uniform" => (90, 140, 60),
                    "dark" => (x % 4, y % 3, 0), // exercises the linear segment of linear->sRGB for the DC
                    "noise" => (Next(ref lcg), Next(ref lcg), Next(ref lcg)),
                    _ => throw new ArgumentOutOfRangeException(nameof(pattern), pattern, null),
                };
                rgb[p] = (byte)r;
                rgb[p + 1] = (byte)g;
                rgb[p + 2] = (byte)b;
            }
        }
        return rgb;
    }

    private static int Next(ref uint state)
    {
        state = state * 1103515245u + 12345u;
        return (int)((state >> 16) & 255);
    }
}
