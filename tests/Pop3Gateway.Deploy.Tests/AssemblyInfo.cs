using System.Runtime.Versioning;

// The tests run kubectl and a published pop3gw as Linux child processes.
[assembly: SupportedOSPlatform("linux")]
