namespace Mediary.Jobs;

/// <summary>
/// Thrown by a handler whose subject keeps its own schedule of attempts (a webhook delivery): the
/// job goes back to the queue for <see cref="Delay"/> without spending one of its attempts, which
/// then count only runs that crashed or failed unexpectedly.
/// </summary>
public sealed class RunAgainLaterException(TimeSpan delay, string reason) : Exception(reason)
{
    public TimeSpan Delay { get; } = delay;
}
