using System.Text.RegularExpressions;
using Pop3Gateway.Deploy.Tests.Infrastructure;
using static Pop3Gateway.Deploy.Tests.Infrastructure.RenderedOverlay;

namespace Pop3Gateway.Deploy.Tests.Kubernetes;

/// <summary>The Orleans mutual-TLS certificates: every silo and front-end needs them, and no pod gets the admin key.</summary>
public sealed class ClusterCertificateTests
{
    private const string ClusterSecret = "pop3gw-cluster";

    public static TheoryData<string, string> Renders => Kubectl.OverlayRenders();

    [Theory]
    [MemberData(nameof(Renders))]
    public async Task AppPods_NodeCertificateFromARequiredMountedSecret(string kubectl, string overlay)
    {
        var rendered = await Kubectl.RenderAsync(kubectl, overlay);
        foreach (var deployment in new[] { SiloDeployment, FrontendDeployment })
        {
            var pod = PodTemplate(rendered.Get("Deployment", deployment));
            var app = rendered.App(deployment);
            foreach (var (key, file) in new[] { ("CaCertificatePath", "ca.pem"), ("CertificatePath", "node.pem"), ("KeyPath", "node-key.pem") })
            {
                var path = Env(app, $"POP3GW__Cluster__{key}")?.Text("value") ?? "";
                var mount = app.Items("volumeMounts").FirstOrDefault(m => path == m.Text("mountPath") + "/" + file);
                Assert.True(mount is not null, $"{overlay} {deployment}: Cluster:{key} '{path}' is not {file} on a mounted volume");
                Assert.Equal("true", mount.Text("readOnly"));
                var volume = pod.Items("spec.volumes").Single(v => v.Text("name") == mount.Text("name"));
                Assert.Equal(ClusterSecret, volume.Text("secret.secretName"));
                Assert.NotEqual("true", volume.Text("secret.optional"));
            }
            Assert.Null(Env(app, "POP3GW__Cluster__AdminKeyPath"));
            Assert.Null(Env(app, "POP3GW__Cluster__AdminCertificatePath"));
        }
    }

    [Fact]
    public void Readme_ClusterSecretHoldsTheNodePairButNoAdminOrCaKey()
    {
        var readme = File.ReadAllText(Repository.KubernetesReadme);
        var create = Regex.Match(readme, $@"kubectl -n \S+ create secret generic {ClusterSecret}(?:[^\n]*\\\n)*[^\n]*");

        Assert.True(create.Success, $"deploy/k8s/README.md creates no Secret {ClusterSecret}");
        Assert.Contains("ca.pem", create.Value);
        Assert.Contains("node.pem", create.Value);
        Assert.Contains("node-key.pem", create.Value);
        Assert.DoesNotContain("admin", create.Value);
        Assert.DoesNotContain("ca-key.pem", create.Value);
    }
}
