using Pop3Gateway.Deploy.Tests.Infrastructure;

namespace Pop3Gateway.Deploy.Tests.Kubernetes;

/// <summary>
/// The conversion from instrument names to Prometheus names that the monitoring tests rely on, checked against
/// names the exporter really produces (ManagementTests and RuntimeMetricsTests scrape them from a running server).
/// </summary>
public sealed class MonitoringNamesTests
{
    [Theory]
    [InlineData("pop3.bytes.sent", "By", InstrumentKind.Counter, "pop3_bytes_sent_bytes_total")]
    [InlineData("pop3.sessions.opened", "{session}", InstrumentKind.Counter, "pop3_sessions_opened_total")]
    [InlineData("pop3.sessions.active", "{session}", InstrumentKind.UpDownCounter, "pop3_sessions_active")]
    [InlineData("pop3.command.duration", "s", InstrumentKind.Histogram, "pop3_command_duration_seconds")]
    [InlineData("pop3.in_use.refusals", "{login}", InstrumentKind.Counter, "pop3_in_use_refusals_total")]
    [InlineData("dotnet.process.cpu.time", "s", InstrumentKind.Counter, "dotnet_process_cpu_time_seconds_total")]
    [InlineData("dotnet.process.memory.working_set", "By", InstrumentKind.Gauge, "dotnet_process_memory_working_set_bytes")]
    [InlineData("orleans-app-requests-latency", "ms", InstrumentKind.Histogram, "orleans_app_requests_latency_milliseconds")]
    [InlineData("tls.certificate.expiry", "s", InstrumentKind.Gauge, "tls_certificate_expiry_seconds")]
    public void PrometheusName_Instrument_IsTheExportersName(string name, string unit, InstrumentKind kind, string expected)
    {
        Assert.Equal(expected, new Instrument(name, unit, kind).PrometheusName);
    }

    [Fact]
    public void Series_Histogram_IsBucketCountAndSum()
    {
        Assert.Equal(
            ["mailbox_commit_duration_seconds_bucket", "mailbox_commit_duration_seconds_count", "mailbox_commit_duration_seconds_sum"],
            new Instrument("mailbox.commit.duration", "s", InstrumentKind.Histogram).Series);
    }

    [Fact]
    public void DefinedInSource_GatewayInstruments_AreFoundWithUnitAndKind()
    {
        var instruments = Monitoring.DefinedInSource();

        Assert.Contains(new Instrument("pop3.sessions.active", "{session}", InstrumentKind.UpDownCounter), instruments);
        Assert.Contains(new Instrument("pop3.command.duration", "s", InstrumentKind.Histogram), instruments);
        Assert.Contains(new Instrument("mailbox.lease.expiries", "{session}", InstrumentKind.Counter), instruments);
        Assert.Contains(new Instrument("lmtp.bytes.received", "By", InstrumentKind.Counter), instruments);
        Assert.Contains("mailbox_storage_errors_total", Monitoring.CodeSeries());
        Assert.Contains("pop3_storage_errors_total", Monitoring.CodeSeries());
    }

    [Theory]
    [InlineData("sum by (pod) (rate(a_total{x=\"y\"}[5m])) > 2 * sum(b{c=~\"d|e\"} offset 1d)", "a_total,b")]
    [InlineData("histogram_quantile(0.99, sum by (le) (rate(h_bucket[$__rate_interval])))", "h_bucket")]
    [InlineData("absent(up{job=\"pop3gw\"} == 1) or sum(rate(c_total[5m])) by (namespace)", "c_total,up")]
    public void MetricsIn_Expression_NamesOnlyTheMetrics(string expression, string expected)
    {
        Assert.Equal(expected.Split(','), Monitoring.MetricsIn(expression).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("sum(rate(a[5m]))", true)]
    [InlineData("sum(rate(a{b=\"(\"}[5m]))", true)]
    [InlineData("sum(rate(a[5m])", false)]
    [InlineData("sum(rate(a[5m)])", false)]
    public void Balanced_Expression_ChecksNesting(string expression, bool expected)
    {
        Assert.Equal(expected, Monitoring.Balanced(expression));
    }
}
