using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Notiflows.Core.Delivery;
using Notiflows.Server.Providers.Push;

namespace Notiflows.Server.Tests.Providers.Push;

/// <summary>
/// <c>apns</c> with <c>auth_type: certificate</c> on the wire: the fake speaks TLS with HTTP/2 by ALPN and requires a client
/// certificate, recording its thumbprint; the provider trusts the fake's throwaway server certificate through
/// <see cref="ApnsTlsOptions"/>, as nothing does in production.
/// </summary>
public sealed class ApnsCertificateTests : IAsyncLifetime
{
    private const string Password = "p12-Secret-Pw";

    private readonly X509Certificate2 _server = LoopbackCertificate.Create();
    private readonly X509Certificate2 _client = ClientCertificate("com.example.app");
    private FakeProviderServer _apns = null!;
    private PushTestHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _apns = await FakeProviderServer.StartAsync(certificate: _server, requireClientCertificate: true);
        _host = Host(trustTheFake: true);
    }

    private PushTestHost Host(bool trustTheFake)
    {
        return new PushTestHost(
            new Dictionary<string, string?> { ["Notiflows:Providers:apns:BaseUrl"] = _apns.Url },
            s => s.AddSingleton(new ApnsTlsOptions { ServerCertificateValidation = trustTheFake ? LoopbackCertificate.Trusting(_server) : null }));
    }

    /// <summary>A self-signed stand-in for an "Apple Push Services" certificate, with its key.</summary>
    private static X509Certificate2 ClientCertificate(string bundleId) => LoopbackCertificate.SelfSigned($"CN=Apple Push Services: {bundleId}");

    private static string P12(X509Certificate2 certificate, string? password = Password) =>
        Convert.ToBase64String(certificate.Export(X509ContentType.Pkcs12, password));

    private JsonObject Config(string? certificate = null, string? password = Password) => new()
    {
        ["bundle_id"] = "com.example.app", ["environment"] = "production", ["auth_type"] = "certificate",
        ["key_id"] = null, ["team_id"] = null, ["key"] = null,
        ["certificate"] = certificate ?? P12(_client), ["certificate_password"] = password,
    };

    private Task<ProviderReply> SendAsync(JsonObject? config = null, PushTestHost? host = null) =>
        (host ?? _host).Provider("apns").SendAsync(
            PushTestHost.Message("mobile_push", "apns", config ?? Config(), PushTestHost.MobilePushData(("priority", "high")), "a1b2c3d4e5f60718"),
            TestContext.Current.CancellationToken);

    [Fact]
    public async Task Send_PresentsTheChannelsCertificateOverHttp2_WithoutAnAuthorizationHeader()
    {
        _apns.Answer(new FakeAnswer(200, null, new Dictionary<string, string> { ["apns-id"] = "eabeae54-14a8-11e5-b60b-1697f925ec7b" }));

        var reply = await SendAsync();

        Assert.Equal(ProviderReply.Ok(200, "eabeae54-14a8-11e5-b60b-1697f925ec7b"), reply);
        var request = _apns.Single;
        Assert.Equal(("POST", "/3/device/a1b2c3d4e5f60718", "HTTP/2", _client.Thumbprint),
            (request.Method, request.Path, request.Protocol, request.ClientCertificate));
        Assert.Equal(("com.example.app", "alert", "10", null),
            (request.Header("apns-topic"), request.Header("apns-push-type"), request.Header("apns-priority"), request.Header("authorization")));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"aps": {"alert": {"title": "Order shipped", "body": "Your order #42 is on its way"}}}
            """), request.Json), request.Text);
    }

    [Fact]
    public async Task Send_EachChannelPresentsItsOwnCertificate()
    {
        using var other = ClientCertificate("com.example.other");

        await SendAsync();
        await SendAsync(Config(P12(other)));
        await SendAsync();
        await SendAsync(Config(Convert.ToBase64String(other.Export(X509ContentType.Pkcs12)), password: null));

        Assert.Equal([_client.Thumbprint, other.Thumbprint, _client.Thumbprint, other.Thumbprint],
            _apns.Requests.Select(r => r.ClientCertificate));
    }

    [Theory]
    [InlineData(410, "Unregistered", AttemptOutcome.Permanent, true)]
    [InlineData(400, "BadDeviceToken", AttemptOutcome.Permanent, true)]
    [InlineData(403, "BadCertificate", AttemptOutcome.Permanent, false)]
    [InlineData(503, "ServiceUnavailable", AttemptOutcome.Retryable, false)]
    public async Task Send_ClassifiesTheDocumentedReasonsAsForKeyAuth(int status, string reason, AttemptOutcome outcome, bool gone)
    {
        _apns.Answer(new FakeAnswer(status, $$"""{"reason":"{{reason}}"}"""));

        var reply = await SendAsync();

        Assert.Equal(new ProviderReply(outcome, status, $"HTTP {status} {reason}", null, null, gone), reply);
    }

    public static TheoryData<string, string?, string> Unusable => new()
    {
        { "wrong password", "Not-The-Password", "the channel's certificate is not a readable PKCS#12 (.p12) file, or its password is wrong" },
        { "no password", null, "the channel's certificate is not a readable PKCS#12 (.p12) file, or its password is wrong" },
        { "not base64", Password, "the channel's certificate is not base64" },
        { "not a p12", Password, "the channel's certificate is not a readable PKCS#12 (.p12) file, or its password is wrong" },
        { "no private key", Password, "the channel's certificate (.p12) does not contain its private key" },
    };

    [Theory]
    [MemberData(nameof(Unusable))]
    public async Task Send_UnusableCertificate_FailsPermanentlyWithoutACall_AndNamesNoSecret(string kind, string? password, string error)
    {
        using var publicOnly = X509CertificateLoader.LoadCertificate(_client.RawData);
        var certificate = kind switch
        {
            "not base64" => "not base64!",
            "not a p12" => Convert.ToBase64String("-----BEGIN CERTIFICATE-----"u8.ToArray()),
            "no private key" => P12(publicOnly),
            _ => P12(_client),
        };

        var reply = await SendAsync(Config(certificate, password));

        Assert.Equal(new ProviderReply(AttemptOutcome.Permanent, null, error), reply);
        Assert.DoesNotContain(Password, reply.Error, StringComparison.Ordinal);
        Assert.Empty(_apns.Requests);
    }

    [Fact]
    public async Task Send_WithoutTheTestHook_ValidatesTheServerCertificate()
    {
        using var production = Host(trustTheFake: false);

        var reply = await SendAsync(host: production);

        Assert.Equal((AttemptOutcome.Retryable, (int?)null), (reply.Outcome, reply.StatusCode));
        Assert.Equal("network error: The SSL connection could not be established, see inner exception.", reply.Error);
        Assert.Empty(_apns.Requests);
    }

    public async ValueTask DisposeAsync()
    {
        await _apns.DisposeAsync();
        _host.Dispose();
        _client.Dispose();
        _server.Dispose();
    }
}
