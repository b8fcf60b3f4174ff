using System.Text.RegularExpressions;
using Pop3Gateway.Deploy.Tests.Infrastructure;
using static Pop3Gateway.Deploy.Tests.Infrastructure.RenderedOverlay;

namespace Pop3Gateway.Deploy.Tests.Kubernetes;

/// <summary>Pod and container security settings, Secrets and the TLS certificate.</summary>
public sealed class SecurityTests
{
    private const string UnprivilegedPortStart = "net.ipv4.ip_unprivileged_port_start";

    public static TheoryData<string, string> Renders => Kubectl.OverlayRenders();

    [Theory]
    [MemberData(nameof(Renders))]
    public async Task Pods_RunAsNonRootWithoutPrivilegesOrCapabilities(string kubectl, string overlay)
    {
        var rendered = await Kubectl.RenderAsync(kubectl, overlay);
        foreach (var deployment in rendered.OfKind("Deployment"))
        {
            var pod = PodTemplate(deployment);
            Assert.True(pod.Text("spec.securityContext.runAsNonRoot") == "true", $"{deployment}: runAsNonRoot");
            Assert.True(pod.Int("spec.securityContext.runAsUser") is > 0, $"{deployment}: a numeric non-root runAsUser");
            foreach (var container in Containers(deployment))
            {
                var name = $"{deployment}/{container.Text("name")}";
                Assert.True(container.Text("securityContext.allowPrivilegeEscalation") == "false", $"{name}: allowPrivilegeEscalation false");
                Assert.True(container.Strings("securityContext.capabilities.drop").Contains("ALL"), $"{name}: drops ALL capabilities");
                Assert.Empty(container.Strings("securityContext.capabilities.add"));
                Assert.NotEqual("true", container.Text("securityContext.privileged"));
                Assert.NotEqual("0", container.Text("securityContext.runAsUser"));
            }
            var lowPorts = Containers(deployment).SelectMany(c => ContainerPorts(c)).Where(p => p < 1024).ToList();
            if (lowPorts.Count > 0)
            {
                var sysctl = pod.Items("spec.securityContext.sysctls").FirstOrDefault(s => s.Text("name") == UnprivilegedPortStart);
                Assert.True(sysctl.Text("value") == "0", $"{deployment} binds {string.Join(", ", lowPorts)} as non-root: needs sysctl {UnprivilegedPortStart}=0");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Renders))]
    public async Task AppPods_RunAsTheImagesUser(string kubectl, string overlay)
    {
        var rendered = await Kubectl.RenderAsync(kubectl, overlay);
        var user = Dockerfile.Load(Repository.Dockerfile).Runtime.Last("USER")!.Arguments.Split(':');
        foreach (var (deployment, _) in WorkloadTests.Roles)
        {
            var pod = PodTemplate(rendered.Get("Deployment", deployment));
            Assert.Equal(user[0], pod.Text("spec.securityContext.runAsUser"));
            Assert.Equal(user.Length > 1 ? user[1] : user[0], pod.Text("spec.securityContext.runAsGroup"));
        }
    }

    [Theory]
    [MemberData(nameof(Renders))]
    public async Task AppContainers_HaveReadOnlyRootWithWritableTmpAndData(string kubectl, string overlay)
    {
        var rendered = await Kubectl.RenderAsync(kubectl, overlay);
        var dataDirectory = Dockerfile.Load(Repository.Dockerfile).Runtime.Environment()["POP3GW__Storage__DataDirectory"];
        foreach (var (deployment, _) in WorkloadTests.Roles)
        {
            var pod = PodTemplate(rendered.Get("Deployment", deployment));
            var app = rendered.App(deployment);
            Assert.Equal("true", app.Text("securityContext.readOnlyRootFilesystem"));
            var emptyDirs = pod.Items("spec.volumes").Where(v => v.At("emptyDir") is not null).Select(v => v.Text("name")).ToHashSet();
            foreach (var path in new[] { "/tmp", dataDirectory })
            {
                var mount = app.Items("volumeMounts").FirstOrDefault(m => m.Text("mountPath") == path);
                Assert.True(mount is not null && emptyDirs.Contains(mount.Text("name")), $"{deployment}: {path} is a writable emptyDir");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Renders))]
    public async Task Secrets_ReferencedExistOrAreDocumentedForTheOperator(string kubectl, string overlay)
    {
        var rendered = await Kubectl.RenderAsync(kubectl, overlay);
        var documented = OperatorSecrets();
        var referenced = rendered.OfKind("Deployment").SelectMany(d => SecretsOf(d)).Distinct().ToList();
        Assert.NotEmpty(referenced);
        foreach (var name in referenced)
        {
            Assert.True(rendered.Find("Secret", name) is not null || documented.Contains(name),
                $"{overlay}: Secret '{name}' is neither rendered nor created by a 'kubectl create secret' line in deploy/k8s/README.md");
        }
    }

    [Theory]
    [MemberData(nameof(Renders))]
    public async Task Storage_ConnectionStringComesFromASecret(string kubectl, string overlay)
    {
        var rendered = await Kubectl.RenderAsync(kubectl, overlay);
        foreach (var (deployment, _) in WorkloadTests.Roles)
        {
            var variable = Env(rendered.App(deployment), "POP3GW__Storage__AzureConnectionString");
            Assert.Null(variable.At("value"));
            Assert.False(string.IsNullOrEmpty(variable.Text("valueFrom.secretKeyRef.name")), $"{deployment}: connection string from a secretKeyRef");
        }
    }

    [Fact]
    public async Task Production_KeepsNoSecretInTheRepository()
    {
        foreach (var kubectl in Kubectl.Kinds())
        {
            var rendered = await Kubectl.RenderAsync(kubectl, "production");
            Assert.Empty(rendered.OfKind("Secret"));
        }
    }

    [Theory]
    [MemberData(nameof(Renders))]
    public async Task Tls_CertificateAndKeyPathsPointIntoAMountedTlsSecret(string kubectl, string overlay)
    {
        var rendered = await Kubectl.RenderAsync(kubectl, overlay);
        var pod = PodTemplate(rendered.Get("Deployment", FrontendDeployment));
        var app = rendered.App(FrontendDeployment);
        var certificate = Env(app, "POP3GW__Tls__CertificatePath").Text("value") ?? "";
        var key = Env(app, "POP3GW__Tls__KeyPath").Text("value") ?? "";
        var mount = app.Items("volumeMounts").FirstOrDefault(m => certificate.StartsWith(m.Text("mountPath") + "/", StringComparison.Ordinal));
        Assert.True(mount is not null, $"Tls:CertificatePath '{certificate}' is on no mounted volume");
        Assert.Equal("true", mount.Text("readOnly"));
        var volume = pod.Items("spec.volumes").Single(v => v.Text("name") == mount.Text("name"));
        Assert.False(string.IsNullOrEmpty(volume.Text("secret.secretName")), "the certificate comes from a Secret");
        // A kubernetes.io/tls Secret holds tls.crt and tls.key.
        Assert.Equal(mount.Text("mountPath") + "/tls.crt", certificate);
        Assert.Equal(mount.Text("mountPath") + "/tls.key", key);
        if (rendered.Find("Secret", volume.Text("secret.secretName")!) is { } secret)
        {
            Assert.Equal("kubernetes.io/tls", secret.Node.Text("type"));
        }
        else
        {
            Assert.Matches($@"kubectl (-n \S+ )?create secret tls {Regex.Escape(volume.Text("secret.secretName")!)}\b", File.ReadAllText(Repository.KubernetesReadme));
        }
    }

    private static IEnumerable<string> SecretsOf(Resource deployment)
    {
        var pod = PodTemplate(deployment);
        foreach (var container in Containers(deployment))
        {
            foreach (var variable in container.Items("env"))
            {
                if (variable.Text("valueFrom.secretKeyRef.name") is { } name)
                {
                    yield return name;
                }
            }
            foreach (var source in container.Items("envFrom"))
            {
                if (source.Text("secretRef.name") is { } name)
                {
                    yield return name;
                }
            }
        }
        foreach (var volume in pod.Items("spec.volumes"))
        {
            if (volume.Text("secret.secretName") is { } name)
            {
                yield return name;
            }
        }
    }

    /// <summary>The Secrets deploy/k8s/README.md tells the operator to create (<c>kubectl … create secret KIND NAME</c>).</summary>
    private static HashSet<string> OperatorSecrets() =>
        Regex.Matches(File.ReadAllText(Repository.KubernetesReadme), @"kubectl (?:-n \S+ )?create secret (?:generic|tls) (\S+)")
            .Select(m => m.Groups[1].Value)
            .ToHashSet();
}
