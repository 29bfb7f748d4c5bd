namespace Mediary.Processing;

/// <summary>
/// The wait for a decoder or encoder slot (an image helper, an ffmpeg run) ran out: the service is
/// busy, which says nothing about the file. Both faces answer it with 503 so clients retry, and a
/// job meeting it is put back without spending an attempt.
/// </summary>
public sealed class ProcessingBusyException(string what, TimeSpan waited)
    : Exception($"No {what} was free within {waited.TotalSeconds:0} s");
