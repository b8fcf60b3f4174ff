using System.Runtime.Versioning;

// The tests drive Linux processes: signals through libc, a bash script, HAProxy, Azurite.
[assembly: SupportedOSPlatform("linux")]

// One local cluster on a 2-core machine: scenarios run one after another, never beside another test class.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
