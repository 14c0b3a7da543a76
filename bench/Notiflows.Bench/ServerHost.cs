using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Notiflows.Bench;

/// <summary>The server under test: built in Release, started as a child process on a free loopback port.</summary>
internal sealed class ServerHost : IDisposable
{
    public const string AccountToken = "nf_at_bench_account_token_0001";
    public const string PublicKey = "pk_bench_public_key_0001";
    public const string SecretKey = "sk_bench_secret_key_0001";

    private readonly Process _process;
    private readonly StreamWriter _log;
    private bool _closed;
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerHost(Process process, StreamWriter log, string dataDir, Uri baseAddress)
    {
        _process = process;
        _log = log;
        DataDir = dataDir;
        BaseAddress = baseAddress;
    }

    public string DataDir { get; }
    public Uri BaseAddress { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public string LogPath => Path.Combine(DataDir, "server.log");

    public static string FindRepoRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Notiflows.slnx")))
                {
                    return dir.FullName;
                }
            }
        }
        throw new InvalidOperationException("cannot find the repository root (Notiflows.slnx) above the current directory");
    }

    public static async Task BuildAsync(string repoRoot, CancellationToken ct)
    {
        Console.WriteLine("Building the server (Release)…");
        var psi = new ProcessStartInfo("dotnet", ["build", "src/Notiflows.Server", "-c", "Release", "-nologo", "-v", "q"])
        {
            WorkingDirectory = repoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start dotnet build");
        var output = p.StandardOutput.ReadToEndAsync(ct);
        var errors = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"server build failed:\n{await output}\n{await errors}");
        }
    }

    /// <summary>Starts the server; <paramref name="extraEnv"/> is more environment for it (e.g. a provider's base URL), set last.</summary>
    public static async Task<ServerHost> StartAsync(
        string repoRoot, string? databaseUrl, TimeSpan timeout, CancellationToken ct, IReadOnlyDictionary<string, string>? extraEnv = null)
    {
        var dll = Path.Combine(repoRoot, "artifacts", "bin", "Notiflows.Server", "release", "Notiflows.Server.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} not found: build the server or drop --no-build");
        }
        var dataDir = Directory.CreateTempSubdirectory("notiflows-bench-").FullName;
        var port = FreePort();
        var psi = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = dataDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var env = psi.Environment;
        env["NOTIFLOWS_DATA_DIR"] = dataDir;
        env["NOTIFLOWS_BOOTSTRAP_ACCOUNT_TOKEN"] = AccountToken;
        env["NOTIFLOWS_BOOTSTRAP_PUBLIC_KEY"] = PublicKey;
        env["NOTIFLOWS_BOOTSTRAP_SECRET_KEY"] = SecretKey;
        env["NOTIFLOWS_MASTER_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        // Every limiter out of the way (the realtime scenario's clients authenticate through the User API bucket too).
        foreach (var surface in new[] { "Admin", "Management", "User" })
        {
            env[$"Notiflows__RateLimits__{surface}__Rate"] = "1000000";
            env[$"Notiflows__RateLimits__{surface}__Burst"] = "1000000";
        }
        env.Remove("ASPNETCORE_URLS");
        env.Remove("NOTIFLOWS_DATABASE_URL");
        if (databaseUrl is not null)
        {
            env["NOTIFLOWS_DATABASE_URL"] = databaseUrl;
        }
        foreach (var (key, value) in extraEnv ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start the server");
        var log = new StreamWriter(Path.Combine(dataDir, "server.log")) { AutoFlush = true };
        var host = new ServerHost(process, log, dataDir, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => host.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => host.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            var exited = process.WaitForExitAsync(cts.Token);
            var first = await Task.WhenAny(host._listening.Task, exited);
            if (first == exited)
            {
                await exited;
                throw new InvalidOperationException($"the server exited with code {process.ExitCode}; see {host.LogPath}");
            }
            using var http = new HttpClient { BaseAddress = host.BaseAddress };
            while (true)
            {
                try
                {
                    using var r = await http.GetAsync(new Uri("readyz", UriKind.Relative), cts.Token);
                    if (r.IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                }
                await Task.Delay(100, cts.Token);
            }
        }
        catch
        {
            host.Dispose();
            throw;
        }
        return host;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_log)
        {
            if (!_closed)
            {
                _log.WriteLine(line);
            }
        }
        if (line.Contains("Now listening on:", StringComparison.Ordinal))
        {
            _listening.TrySetResult(line);
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    public long PeakRssKb() => ProcessStats.StatusKb(_process.Id, "VmHWM");

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        lock (_log)
        {
            _closed = true;
            _log.Dispose();
        }
    }
}
