using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Notiflows.Server.Tests.Infrastructure;

/// <summary>
/// The server as a real operating-system process (the built Notiflows.Server.dll run by <c>dotnet</c>), for what only a
/// process shows: what it prints, the files it writes, its exit code, and several nodes starting together.
/// Readiness is awaited on the "Now listening on" line, not by polling.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(Process process, string? url)
    {
        _process = process;
        Url = url;
    }

    public string? Url { get; }

    public string Stdout => string.Join('\n', _stdout);

    public string Stderr => string.Join('\n', _stderr);

    public static ServerProcess Start(IReadOnlyDictionary<string, string?> environment, bool withUrl = true)
    {
        var url = withUrl ? $"http://127.0.0.1:{FreePort()}" : null;
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(ServerDll)!,
        };
        info.ArgumentList.Add(ServerDll);
        if (url is not null)
        {
            info.ArgumentList.Add("--urls");
            info.ArgumentList.Add(url);
        }
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("NOTIFLOWS_", StringComparison.Ordinal) || k == "ASPNETCORE_URLS").ToList())
        {
            info.Environment.Remove(key);
        }
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var server = new ServerProcess(process, url);
        process.OutputDataReceived += (_, e) => server.OnLine(e.Data, server._stdout);
        process.ErrorDataReceived += (_, e) => server.OnLine(e.Data, server._stderr);
        process.Exited += (_, _) => server._listening.TrySetException(new InvalidOperationException(
            $"The server exited ({process.ExitCode}) before listening.\nstdout:\n{server.Stdout}\nstderr:\n{server.Stderr}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Completes when the server logs that it listens (after migrations and bootstrap), or fails when it exits first.</summary>
    public Task WaitUntilListeningAsync(CancellationToken ct) => _listening.Task.WaitAsync(TimeSpan.FromSeconds(60), ct);

    public async Task<int> WaitForExitAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public HttpClient Client() => new() { BaseAddress = new Uri(Url!) };

    /// <summary>SIGKILL: the process dies at once, in the middle of whatever it was doing.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private void OnLine(string? line, ConcurrentQueue<string> sink)
    {
        if (line is null)
        {
            return;
        }
        sink.Enqueue(line);
        if (line.Contains("Now listening on:", StringComparison.Ordinal))
        {
            _listening.TrySetResult();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The server built next to the tests (artifacts/bin/Notiflows.Server/&lt;configuration&gt;).</summary>
    public static string ServerDll
    {
        get
        {
            var testBin = new DirectoryInfo(AppContext.BaseDirectory);
            var configuration = testBin.Name;
            var dll = Path.Combine(testBin.Parent!.Parent!.FullName, "Notiflows.Server", configuration, "Notiflows.Server.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the solution first: the server DLL is missing.", dll);
        }
    }
}
