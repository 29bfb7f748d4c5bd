using System.ComponentModel.DataAnnotations;

namespace Mediary.OAuth;

/// <summary>Section <c>OAuth</c>: authorization codes, the throttles of the sign-in page and app registration, how often a token's last use is written.</summary>
public sealed class OAuthOptions
{
    public const string Section = "OAuth";

    /// <summary>How long an authorization code can be exchanged, in seconds (Doorkeeper's default, 10 minutes).</summary>
    [Range(10, 86_400)] public int AuthorizationCodeLifetimeSeconds { get; set; } = 600;

    /// <summary>How long a sign-in on the sign-in page lasts, in days.</summary>
    [Range(1, 365)] public int SessionLifetimeDays { get; set; } = 14;

    /// <summary>Failed sign-ins allowed from one address (an IPv6 /64) per window; 0 turns this throttle off (Mastodon: 25 per 5 minutes).</summary>
    [Range(0, int.MaxValue)] public int SignInFailuresPerAddress { get; set; } = 25;

    [Range(1, 604_800)] public int SignInAddressPeriodSeconds { get; set; } = 300;

    /// <summary>Failed sign-ins allowed for one username or e-mail address per window; 0 turns it off (Mastodon: 25 per hour).</summary>
    [Range(0, int.MaxValue)] public int SignInFailuresPerAccount { get; set; } = 25;

    [Range(1, 604_800)] public int SignInAccountPeriodSeconds { get; set; } = 3600;

    /// <summary>App registrations (POST /api/v1/apps) allowed from one address per window; 0 turns it off (Mastodon: 5 per 10 minutes).</summary>
    [Range(0, int.MaxValue)] public int AppRegistrationsPerAddress { get; set; } = 5;

    [Range(1, 604_800)] public int AppRegistrationPeriodSeconds { get; set; } = 600;

    /// <summary>
    /// How often a token's last use is written, at most, in seconds: a request with a token used less
    /// than this ago (in this process) writes nothing, so the operator's "last used" is this close.
    /// </summary>
    [Range(1, 86_400)] public int TokenLastUsedIntervalSeconds { get; set; } = 60;
}
