using System.ComponentModel.DataAnnotations;
using Orleans.Configuration;
using Pop3Gateway.Grains.Accounts;
using Pop3Gateway.Grains.Mailboxes;

namespace Pop3Gateway.Grains;

/// <summary>
/// Grain lifetime and login work on a silo (configuration section <c>Grains</c>). An idle grain is
/// deactivated after its collection age; the next call reads it back from storage.
/// </summary>
public sealed class GrainsOptions
{
    public const string Section = "Grains";

    /// <summary>Idle time after which a grain of a type without its own setting below is deactivated (Orleans's default, 15 minutes).</summary>
    [Range(typeof(TimeSpan), "00:02:00", "30.00:00:00", ErrorMessage = "{0} must be between {1} and {2}")]
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Idle time after which a mailbox grain (its message index in memory) is deactivated; shorten it to trade memory for reloads.</summary>
    [Range(typeof(TimeSpan), "00:02:00", "30.00:00:00", ErrorMessage = "{0} must be between {1} and {2}")]
    public TimeSpan MailboxCollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Idle time after which an account grain is deactivated, and its verified-password cache (15 minutes) with it.</summary>
    [Range(typeof(TimeSpan), "00:02:00", "30.00:00:00", ErrorMessage = "{0} must be between {1} and {2}")]
    public TimeSpan AccountCollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Logins per core that may wait for a password hash (about 50 ms of CPU each, one per core at a time) before
    /// further ones are answered <c>[SYS/TEMP]</c>: 64 means the last in line waits about 64 × 50 ms = 3.2 s.
    /// </summary>
    [Range(0, 1000, ErrorMessage = "{0} must be between {1} and {2}")]
    public int PasswordQueuePerCore { get; set; } = 64;

    /// <summary>Sets Orleans's collection ages: the default, and those of the mailbox and account grain classes.</summary>
    public void ApplyTo(GrainCollectionOptions collection)
    {
        collection.CollectionAge = CollectionAge;
        collection.ClassSpecificCollectionAge[typeof(MailboxGrain).FullName!] = MailboxCollectionAge;
        collection.ClassSpecificCollectionAge[typeof(AccountGrain).FullName!] = AccountCollectionAge;
    }
}
