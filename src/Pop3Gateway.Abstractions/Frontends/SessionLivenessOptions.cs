using System.ComponentModel.DataAnnotations;

namespace Pop3Gateway.Abstractions.Frontends;

/// <summary>
/// How the cluster tells a live session from a dead one (configuration section <c>Sessions</c>, read by silos
/// and front-ends alike). Each front-end beats its <see cref="IFrontendGrain"/>; a mailbox lease names its
/// front-end and is free once that front-end has not beaten for <see cref="FrontendLease"/>. A front-end that
/// cannot beat for that long ends its own sessions first, so a session is never served by two front-ends.
/// </summary>
public sealed class SessionLivenessOptions
{
    public const string Section = "Sessions";

    public static readonly TimeSpan DefaultHeartbeatInterval = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan DefaultFrontendLease = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan DefaultSessionLease = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often a front-end beats its front-end grain. Default <c>00:00:02</c>. Keep it well under
    /// <see cref="FrontendLease"/>: a front-end ends its sessions once its beats have failed for the lease less
    /// one interval.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00", ErrorMessage = "{0} must be between {1} and {2}")]
    public TimeSpan HeartbeatInterval { get; set; } = DefaultHeartbeatInterval;

    /// <summary>
    /// How long a front-end counts as alive after its last beat (or after its front-end grain was activated, when
    /// that grain has seen no beat yet). Default <c>00:00:10</c>: after a front-end crash its mailboxes open
    /// again within this time. A beat late by less than this is not a death.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "{0} must be between {1} and {2}")]
    public TimeSpan FrontendLease { get; set; } = DefaultFrontendLease;

    /// <summary>
    /// Backstop lease of one session, renewed by its front-end every third of it while the connection lives.
    /// Default <c>00:05:00</c>. It frees a mailbox whose session a live front-end failed to release (the release
    /// call was lost), and lets a session learn within this time that its mailbox moved with a failed silo.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.300", "1.00:00:00", ErrorMessage = "{0} must be between {1} and {2}")]
    public TimeSpan SessionLease { get; set; } = DefaultSessionLease;

    /// <summary>How often a front-end renews each session's backstop lease: a third of <see cref="SessionLease"/>.</summary>
    public TimeSpan SessionRenewInterval => SessionLease / 3;

    /// <summary>
    /// How long a front-end keeps serving without a successful beat: <see cref="FrontendLease"/> less one
    /// <see cref="HeartbeatInterval"/>, so it stops before the cluster can declare it dead.
    /// </summary>
    public TimeSpan FenceAfter => FrontendLease - HeartbeatInterval > TimeSpan.Zero ? FrontendLease - HeartbeatInterval : FrontendLease / 2;
}
