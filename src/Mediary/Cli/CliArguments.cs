namespace Mediary.Cli;

/// <summary>
/// The command line: a command, its positional words, and <c>--name value</c> options
/// (<c>--data</c> is accepted by every command, after the command name).
/// </summary>
public sealed class CliArguments
{
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);

    public CliArguments(string[] args)
    {
        var words = new List<string>();
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg.StartsWith("--", StringComparison.Ordinal) && KnownOptions.Contains(arg[2..].Split('=')[0]))
            {
                var (name, value) = arg.Contains('=') ? (arg[2..arg.IndexOf('=')], arg[(arg.IndexOf('=') + 1)..]) : (arg[2..], i + 1 < args.Length ? args[++i] : "");
                _options[name] = value;
            }
            else if (arg.StartsWith('-')) rest.Add(arg);
            else words.Add(arg);
        }
        Words = words;
        Passthrough = rest.ToArray();
    }

    private static readonly HashSet<string> KnownOptions = ["data", "urls", "account", "scopes", "min-age-minutes", "email", "password", "url", "events", "face"];

    public IReadOnlyList<string> Words { get; }

    /// <summary>Other <c>--switches</c>, handed to the host's own configuration (e.g. --environment=Development).</summary>
    public string[] Passthrough { get; }

    public string? Option(string name) => _options.GetValueOrDefault(name);

    /// <summary>Whether a switch without a value, such as <c>--dry-run</c>, was given.</summary>
    public bool Flag(string name) => Passthrough.Contains($"--{name}", StringComparer.Ordinal);
    public string Word(int index) => index < Words.Count ? Words[index] : "";
}
