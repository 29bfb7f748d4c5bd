using System.Buffers;
using System.Text;
using System.Text.Json;
using Mediary.Media;

namespace Mediary.Tests.Media;

/// <summary>
/// The meta every media JSON carries is written by hand on the read path; it must read exactly as
/// the serializer (which writes the database column) writes it, floats in Ruby's form included.
/// </summary>
public sealed class MediaMetaWriterTests
{
    public static TheoryData<string> Metas() => new()
    {
        """{"original":{"width":640,"height":480,"size":"640x480","aspect":1.3333333333333333},"small":{"width":554,"height":416,"size":"554x416","aspect":1.3317307692307692},"colors":{"background":"#ffffff","foreground":"#000000","accent":"#1a2b3c"},"focus":{"x":-0.42,"y":0.69}}""",
        """{"original":{"width":1280,"height":720,"frame_rate":"30000/1001","duration":12.512,"bitrate":2048000},"small":{"width":640,"height":360,"size":"640x360","aspect":1.7777777777777777}}""",
        """{"original":{"duration":180.0,"bitrate":128000}}""",
        """{"original":{"width":595,"height":842,"size":"595x842","aspect":0.7066508313539193,"pages":12},"focus":{"x":0.0,"y":1.0}}""",
        """{"focus":{"x":1.0e-05,"y":-2.5e-07}}""",
        "{}",
    };

    [Theory]
    [MemberData(nameof(Metas))]
    public void The_hand_written_meta_reads_as_the_serializer_writes_it(string stored)
    {
        var meta = MediaMeta.Parse(stored);
        Assert.Equal(meta.Serialize(), Written(meta.WriteTo));
        Assert.Equal(stored, Written(meta.WriteTo));
    }

    [Fact]
    public void Floats_take_the_same_form_on_the_fast_path_as_in_Format()
    {
        var random = new Random(20261203);
        var values = new List<double> { 1, -1, 0.5, 100, 1e14, 9.99e14, 1e15, 1e16, 0.0001, 0.00009, 1.0 / 3, -0.0, double.Epsilon };
        for (var i = 0; i < 20_000; i++)
        {
            values.Add((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-8, 19)));
        }
        foreach (var value in values)
        {
            Assert.Equal(RubyFloatConverter.Format(value), Written(writer => RubyFloatConverter.WriteValue(writer, value)));
        }
    }

    private static string Written(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            write(writer);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
