using System.ComponentModel.DataAnnotations;

namespace Mediary.Mastodon;

/// <summary>Section <c>Registrations</c>: whether apps may sign people up (POST /api/v1/accounts), and its throttle.</summary>
public sealed class RegistrationOptions
{
    public const string Section = "Registrations";

    /// <summary>Whether registrations are open; closed (the default) answers as a closed Mastodon server does, 403.</summary>
    public bool Open { get; set; }

    /// <summary>Sign-ups allowed from one address per window (Mastodon's throttle_api_sign_up: 5 per 30 minutes); 0 turns it off.</summary>
    [Range(0, int.MaxValue)] public int SignUpsPerAddress { get; set; } = 5;

    [Range(1, 604_800)] public int SignUpPeriodSeconds { get; set; } = 1800;
}
