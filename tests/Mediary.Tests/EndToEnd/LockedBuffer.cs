using System.Text;

namespace Mediary.Tests.EndToEnd;

/// <summary>A thread-safe text buffer for output captured from event handlers; optionally keeps only the newest part.</summary>
internal sealed class LockedBuffer(int maxChars = int.MaxValue)
{
    private readonly StringBuilder _text = new();
    private readonly Lock _lock = new();

    public void AppendLine(string line)
    {
        lock (_lock)
        {
            _text.Append(line).Append('\n');
            if (_text.Length > maxChars) _text.Remove(0, _text.Length - maxChars);
        }
    }

    public override string ToString()
    {
        lock (_lock) return _text.ToString();
    }
}
