using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Mediary.Webhooks;

/// <summary>Section <c>Webhooks</c>: how events are delivered to the URLs accounts register.</summary>
public sealed class WebhookOptions : IValidatableObject
{
    public const string Section = "Webhooks";

    /// <summary>Longest one delivery may take, connecting and answering, in seconds.</summary>
    [Range(1, 300)] public int TimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// Seconds to wait before each retry of a failed delivery, comma-separated: one attempt, then one
    /// more per delay, then the delivery is failed. The default tries for about 21 hours.
    /// </summary>
    [Required] public string RetryDelaysSeconds { get; set; } = "60,300,1800,7200,21600,43200";

    /// <summary>
    /// Deliver to loopback, link-local and private addresses too. Off: such addresses are refused,
    /// at registration for a literal address and at every delivery for the address connected to.
    /// </summary>
    public bool AllowPrivateAddresses { get; set; }

    /// <summary>
    /// Days a finished delivery (delivered, or failed after its last attempt) is kept, counted from
    /// when it finished; then the vacuum deletes it. Pending ones are kept however old. 0 keeps them forever.
    /// </summary>
    [Range(0, 36_500)] public int DeliveryRetentionDays { get; set; } = 30;

    /// <summary>The delays of <see cref="RetryDelaysSeconds"/>, in order.</summary>
    public IReadOnlyList<TimeSpan> RetryDelays => ParseDelays(RetryDelaysSeconds) ?? [];

    /// <summary>Attempts a delivery gets in all: the first and one per retry delay.</summary>
    public int MaxAttempts => RetryDelays.Count + 1;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ParseDelays(RetryDelaysSeconds) is null)
        {
            yield return new ValidationResult(
                $"Webhooks:RetryDelaysSeconds must be whole numbers of seconds (0 to 604800) separated by commas, e.g. 60,300,1800; got '{RetryDelaysSeconds}'.",
                [nameof(RetryDelaysSeconds)]);
        }
    }

    private static List<TimeSpan>? ParseDelays(string text)
    {
        var delays = new List<TimeSpan>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 604_800) return null;
            delays.Add(TimeSpan.FromSeconds(seconds));
        }
        return delays.Count <= 20 ? delays : null;
    }
}
