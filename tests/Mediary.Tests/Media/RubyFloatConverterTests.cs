using Mediary.Media;

namespace Mediary.Tests.Media;

/// <summary>Floats in meta read as Ruby's Float#to_s writes them, which is what Mastodon's JSON holds.</summary>
public sealed class RubyFloatConverterTests
{
    [Theory]
    [InlineData(1.0, "1.0")]
    [InlineData(1.5, "1.5")]
    [InlineData(1.3333333333333333, "1.3333333333333333")]
    [InlineData(100, "100.0")]
    [InlineData(0.5, "0.5")]
    [InlineData(0.0001, "0.0001")]        // Ruby's fixed notation reaches 4 zeros after the point
    [InlineData(0.00012, "0.00012")]
    [InlineData(1e-05, "1.0e-05")]        // .NET: 1E-05
    [InlineData(1.5259021896696422e-05, "1.5259021896696422e-05")] // 1/65535
    [InlineData(-2.5e-07, "-2.5e-07")]
    [InlineData(1e15, "1000000000000000.0")] // .NET: 1E+15
    [InlineData(1e16, "1.0e+16")]
    [InlineData(1.2345678901234568e+17, "1.2345678901234568e+17")]
    [InlineData(1e100, "1.0e+100")]
    [InlineData(0.0, "0.0")]
    [InlineData(-1.0, "-1.0")]
    public void Floats_are_written_as_ruby_writes_them(double value, string ruby) =>
        Assert.Equal(ruby, RubyFloatConverter.Format(value));
}
