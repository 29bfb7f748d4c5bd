namespace Mediary.Cli;

/// <summary>
/// Configuration given on the command line: <c>--Section:Key=value</c> (or <c>--Section:Key value</c>)
/// for any setting, a section's name alone (<c>--Logging=</c>, as the test host passes them), and
/// the host's own <c>--environment</c>, <c>--contentRoot</c> and <c>--applicationName</c>. Settings
/// are told from options by their names: sections start with a capital letter or hold a colon,
/// options are lower case. They are taken out before the command line is parsed, so every command
/// accepts them, while any other unknown option is an error.
/// </summary>
public static class CliSettings
{
    private static readonly HashSet<string> HostKeys = new(StringComparer.OrdinalIgnoreCase) { "environment", "contentRoot", "applicationName" };

    public static (string[] Command, string[] Settings) Split(string[] args)
    {
        var command = new List<string>();
        var settings = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            var name = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..].Split('=', 2)[0] : null;
            if (name is { Length: > 0 } && (name.Contains(':') || char.IsAsciiLetterUpper(name[0]) || HostKeys.Contains(name)))
            {
                if (arg.Contains('=')) settings.Add(arg);
                else if (i + 1 < args.Length) settings.Add($"{arg}={args[++i]}");
                else settings.Add($"{arg}=");
                continue;
            }
            command.Add(arg);
        }
        return (command.ToArray(), settings.ToArray());
    }
}
