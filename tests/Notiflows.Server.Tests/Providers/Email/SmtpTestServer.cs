using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;

namespace Notiflows.Server.Tests.Providers.Email;

/// <summary>
/// A real SMTP server process (smtp_server.py on Debian's python3-aiosmtpd) on a free loopback port, with a throwaway
/// self-signed certificate for STARTTLS / implicit TLS and optional AUTH. Without python3-aiosmtpd the test skips
/// locally and fails with <c>CI=true</c> (scripts/test.sh installs it). <c>NOTIFLOWS_TEST_PYTHON</c> picks the interpreter.
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dir;

    private SmtpTestServer(Process process, string dir, int port)
    {
        _process = process;
        _dir = dir;
        Port = port;
    }

    public int Port { get; }

    public static async Task<SmtpTestServer> StartAsync(string security, string? auth = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var python = await FindPythonAsync(ct);
        var dir = Directory.CreateTempSubdirectory("notiflows-smtp-").FullName;
        Directory.CreateDirectory(Path.Combine(dir, "out"));
        var args = new List<string> { Path.Combine(AppContext.BaseDirectory, "Providers", "Email", "smtp_server.py") };
        var port = FreePort();
        args.AddRange(["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", Path.Combine(dir, "out"), "--security", security]);
        if (security != "none")
        {
            WriteCertificate(dir);
            args.AddRange(["--cert", Path.Combine(dir, "cert.pem"), "--key", Path.Combine(dir, "key.pem")]);
        }
        if (auth is not null)
        {
            args.AddRange(["--auth", auth]);
        }
        var start = new ProcessStartInfo(python, args) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        var process = Process.Start(start)!;
        using var ready = CancellationTokenSource.CreateLinkedTokenSource(ct);
        ready.CancelAfter(TimeSpan.FromSeconds(20));
        var line = await process.StandardOutput.ReadLineAsync(ready.Token);
        if (line != "READY")
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("smtp_server.py did not start: " + await process.StandardError.ReadToEndAsync(ct));
        }
        return new SmtpTestServer(process, dir, port);
    }

    /// <summary>The messages received so far: {mail_from, rcpt_tos, data, login, tls}.</summary>
    public IReadOnlyList<JsonObject> Received() =>
        [.. Directory.GetFiles(Path.Combine(_dir, "out"), "*.json").Order(StringComparer.Ordinal)
            .Select(f => JsonNode.Parse(File.ReadAllText(f))!.AsObject())];

    /// <summary>A loopback port nothing listens on (for connection failures).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<string> FindPythonAsync(CancellationToken ct)
    {
        string[] candidates = [Environment.GetEnvironmentVariable("NOTIFLOWS_TEST_PYTHON") ?? "", "/usr/bin/python3", "python3"];
        foreach (var python in candidates.Where(c => c.Length > 0))
        {
            try
            {
                using var probe = Process.Start(new ProcessStartInfo(python, ["-c", "import aiosmtpd"]) { RedirectStandardError = true })!;
                await probe.WaitForExitAsync(ct);
                if (probe.ExitCode == 0)
                {
                    return python;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // not installed under this name
            }
        }
        Assert.False(
            string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase),
            "python3-aiosmtpd is missing, but CI=true requires the SMTP tests: run ./scripts/test.sh.");
        Assert.Skip("python3-aiosmtpd is missing: apt-get install python3-aiosmtpd (./scripts/test.sh does it).");
        return "";
    }

    private static void WriteCertificate(string dir)
    {
        // The provider accepts it only because the test allows invalid certificates.
        using var certificate = LoopbackCertificate.Create();
        File.WriteAllText(Path.Combine(dir, "cert.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(dir, "key.pem"), certificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
