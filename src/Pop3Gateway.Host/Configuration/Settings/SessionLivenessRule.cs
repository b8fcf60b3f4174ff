using Microsoft.Extensions.Options;
using Pop3Gateway.Abstractions.Frontends;

namespace Pop3Gateway.Host.Configuration.Settings;

/// <summary>
/// A front-end must be able to miss a beat without being called dead, and a session's backstop lease must not
/// run out before its front-end's: otherwise live sessions lose their mailboxes.
/// </summary>
internal sealed class SessionLivenessRule : IValidateOptions<SessionLivenessOptions>
{
    private const string Section = SessionLivenessOptions.Section;

    public ValidateOptionsResult Validate(string? name, SessionLivenessOptions options)
    {
        if (options.HeartbeatInterval * 2 > options.FrontendLease)
        {
            return ValidateOptionsResult.Fail(
                $"{Section}:{nameof(options.HeartbeatInterval)} {options.HeartbeatInterval} must be at most half of {Section}:{nameof(options.FrontendLease)} {options.FrontendLease}, so that one late beat is not a death");
        }
        return options.SessionLease < options.FrontendLease
            ? ValidateOptionsResult.Fail(
                $"{Section}:{nameof(options.SessionLease)} {options.SessionLease} must be at least {Section}:{nameof(options.FrontendLease)} {options.FrontendLease}")
            : ValidateOptionsResult.Success;
    }
}
