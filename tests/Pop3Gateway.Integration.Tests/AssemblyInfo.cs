using System.Runtime.Versioning;

// The tests drive Linux processes (SIGTERM through libc, Debian mail clients, Unix file modes).
[assembly: SupportedOSPlatform("linux")]
