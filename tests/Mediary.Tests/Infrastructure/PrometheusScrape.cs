using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Mediary.Tests.Infrastructure;

/// <summary>
/// One scrape of <c>/metrics</c> as Prometheus reads it: each sample line's name, labels and
/// value. Lookups match the labels given and ignore any others (the exporter adds its own).
/// </summary>
public sealed partial record PrometheusScrape(string Text, IReadOnlyList<PrometheusScrape.Sample> Samples)
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    public static async Task<PrometheusScrape> FromAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"/metrics answered {(int)response.StatusCode}: {text}");
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.ToString());
        return Parse(text);
    }

    public static PrometheusScrape Parse(string text)
    {
        var samples = new List<Sample>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var match = SampleLine().Match(line);
            Assert.True(match.Success, $"not a Prometheus sample line: {line}");
            var labels = LabelPair().Matches(match.Groups["labels"].Value)
                .ToDictionary(pair => pair.Groups["key"].Value, pair => Regex.Unescape(pair.Groups["value"].Value));
            samples.Add(new Sample(match.Groups["name"].Value, labels, ParseValue(match.Groups["value"].Value)));
        }
        return new PrometheusScrape(text, samples);
    }

    /// <summary>The samples of <paramref name="name"/> carrying every label given.</summary>
    public IEnumerable<Sample> Find(string name, params (string Key, string Value)[] labels) =>
        Samples.Where(sample => sample.Name == name && labels.All(label => sample.Labels.GetValueOrDefault(label.Key) == label.Value));

    /// <summary>The sum of those samples' values, 0 when there are none (a counter not yet counted).</summary>
    public double Sum(string name, params (string Key, string Value)[] labels) => Find(name, labels).Sum(sample => sample.Value);

    private static double ParseValue(string value) => value switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(value, CultureInfo.InvariantCulture),
    };

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)( \d+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("(?<key>[a-zA-Z_][a-zA-Z0-9_]*)=\"(?<value>(\\\\.|[^\"\\\\])*)\"")]
    private static partial Regex LabelPair();
}
