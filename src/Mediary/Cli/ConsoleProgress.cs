namespace Mediary.Cli;

/// <summary>
/// A count that moves on stderr while a long command works, when stderr is a terminal; nothing
/// when it is piped or redirected, so scripts and logs get only the command's own lines.
/// </summary>
public sealed class ConsoleProgress(string label) : IProgress<int>, IDisposable
{
    private readonly bool _shown = !Console.IsErrorRedirected;
    private bool _written;

    public void Report(int value)
    {
        if (!_shown) return;
        Console.Error.Write($"\r{label}: {value}");
        _written = true;
    }

    public void Dispose()
    {
        if (_written) Console.Error.WriteLine();
    }
}
