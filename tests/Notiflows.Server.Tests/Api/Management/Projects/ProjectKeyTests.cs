using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.Management.Projects;

/// <summary>Key rotation and the signing key (§8.2); old keys are checked through the Admin API.</summary>
public abstract class ProjectKeyTests<TFixture>(TFixture fixture) : ApiTests<TFixture>(fixture) where TFixture : HostFixture
{
    private Task<ApiResponse> Rotate(TestProject p, string body = "{}") => Mgmt(HttpMethod.Post, $"{p.Base}/keys/rotate", body);

    private Task<ApiResponse> AdminGet(string publicKey, string secretKey) =>
        SendAsync(Host.Admin(publicKey, secretKey), HttpMethod.Get, "/admin/v1/channels?limit=1");

    private async Task AssertRejected(string publicKey, string secretKey, string auth)
    {
        var error = (await AdminGet(publicKey, secretKey)).AssertError(401, "unauthenticated");
        Assert.Equal(auth, (string?)error["details"]!["auth"]);
    }

    private static DateTimeOffset Time(string? value) => DateTimeOffset.Parse(value!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task RotateKeys_Both_OldKeysStopWorkingImmediately()
    {
        var p = await NewProjectAsync();
        var rotated = (await Rotate(p)).AssertStatus(200).Body;
        Assert.Equal(["public_key", "secret_key", "previous_keys_expire_at"], rotated.Select(kv => kv.Key));
        var pk = (string)rotated["public_key"]!;
        var sk = (string)rotated["secret_key"]!;
        Assert.Matches("^pk_[A-Za-z0-9_]{32}$", pk);
        Assert.Matches("^sk_[A-Za-z0-9_]{40}$", sk);
        Assert.NotEqual(p.PublicKey, pk);
        Assert.NotEqual(p.SecretKey, sk);
        Assert.Null(rotated["previous_keys_expire_at"]);

        (await AdminGet(pk, sk)).AssertStatus(200);
        await AssertRejected(p.PublicKey, p.SecretKey, "api_key");
        await AssertRejected(pk, p.SecretKey, "secret_key");
        var project = (await Mgmt(HttpMethod.Get, p.Base)).AssertStatus(200).Body;
        Assert.Equal(pk, (string?)project["public_key"]);
        Assert.Equal("sk_…" + sk[^4..], (string?)project["secret_key_hint"]);
    }

    [Fact]
    public async Task RotateKeys_SecretOnly_KeepsThePublicKey()
    {
        var p = await NewProjectAsync();
        var rotated = (await Rotate(p, """{"keys": "secret"}""")).AssertStatus(200).Body;
        Assert.Equal(p.PublicKey, (string?)rotated["public_key"]);
        var sk = (string)rotated["secret_key"]!;
        (await AdminGet(p.PublicKey, sk)).AssertStatus(200);
        await AssertRejected(p.PublicKey, p.SecretKey, "secret_key");
        Assert.Equal(p.PublicKey, (string?)(await Mgmt(HttpMethod.Get, p.Base)).AssertStatus(200).Body["public_key"]);
    }

    [Fact]
    public async Task RotateKeys_PublicOnly_KeepsTheSecretKey()
    {
        var p = await NewProjectAsync();
        var rotated = (await Rotate(p, """{"keys": "public"}""")).AssertStatus(200).Body;
        Assert.Null(rotated["secret_key"]);
        var pk = (string)rotated["public_key"]!;
        Assert.NotEqual(p.PublicKey, pk);
        (await AdminGet(pk, p.SecretKey)).AssertStatus(200);
        await AssertRejected(p.PublicKey, p.SecretKey, "api_key");
        var project = (await Mgmt(HttpMethod.Get, p.Base)).AssertStatus(200).Body;
        Assert.Equal(pk, (string?)project["public_key"]);
        Assert.Equal("sk_…" + p.SecretKey[^4..], (string?)project["secret_key_hint"]);
    }

    [Fact]
    public async Task RotateKeys_WithGracePeriod_OldKeysWorkUntilItEnds()
    {
        var p = await NewProjectAsync();
        var now = Host.Time.GetUtcNow();
        var rotated = (await Rotate(p, """{"keys": "both", "grace_period_seconds": 3600}""")).AssertStatus(200).Body;
        Assert.Equal(now.AddHours(1), Time((string?)rotated["previous_keys_expire_at"]));
        var pk = (string)rotated["public_key"]!;
        var sk = (string)rotated["secret_key"]!;

        (await AdminGet(p.PublicKey, p.SecretKey)).AssertStatus(200);
        (await AdminGet(pk, sk)).AssertStatus(200);
        (await AdminGet(pk, p.SecretKey)).AssertStatus(200); // both pairs belong to the project
        // The project shows the new keys during the grace period.
        Assert.Equal(pk, (string?)(await Mgmt(HttpMethod.Get, p.Base)).AssertStatus(200).Body["public_key"]);

        Host.Time.Advance(TimeSpan.FromSeconds(3599));
        (await AdminGet(p.PublicKey, p.SecretKey)).AssertStatus(200);
        Host.Time.Advance(TimeSpan.FromSeconds(2));
        await AssertRejected(p.PublicKey, p.SecretKey, "api_key");
        await AssertRejected(pk, p.SecretKey, "secret_key");
        (await AdminGet(pk, sk)).AssertStatus(200);
    }

    [Fact]
    public async Task RotateKeys_AgainDuringAGracePeriod_InvalidatesTheOlderKeysAtOnce()
    {
        var p = await NewProjectAsync();
        var second = (await Rotate(p, """{"grace_period_seconds": 3600}""")).AssertStatus(200).Body;
        var third = (await Rotate(p, """{"grace_period_seconds": 600}""")).AssertStatus(200).Body;
        Assert.Equal(Host.Time.GetUtcNow().AddMinutes(10), Time((string?)third["previous_keys_expire_at"]));
        await AssertRejected(p.PublicKey, p.SecretKey, "api_key");
        await AssertRejected((string)third["public_key"]!, p.SecretKey, "secret_key");
        (await AdminGet((string)second["public_key"]!, (string)second["secret_key"]!)).AssertStatus(200);
        (await AdminGet((string)third["public_key"]!, (string)third["secret_key"]!)).AssertStatus(200);
        Host.Time.Advance(TimeSpan.FromMinutes(11));
        await AssertRejected((string)second["public_key"]!, (string)second["secret_key"]!, "api_key");
        (await AdminGet((string)third["public_key"]!, (string)third["secret_key"]!)).AssertStatus(200);
    }

    [Fact]
    public async Task RotateKeys_BadBody_Returns422()
    {
        var p = await NewProjectAsync();
        (await Rotate(p, """{"keys": "all"}""")).AssertError(422, "validation_failed", "keys", "invalid");
        (await Rotate(p, """{"grace_period_seconds": "soon"}""")).AssertError(422, "validation_failed", "grace_period_seconds", "invalid");
        Assert.Equal("grace_period_seconds",
            (string?)(await Rotate(p, """{"grace_period_seconds": -1}""")).AssertError(422, "validation_failed")["details"]!["fields"]![0]!["field"]);
        Assert.Equal("grace_period_seconds",
            (string?)(await Rotate(p, """{"grace_period_seconds": 604801}""")).AssertError(422, "validation_failed")["details"]!["fields"]![0]!["field"]);
        (await AdminGet(p.PublicKey, p.SecretKey)).AssertStatus(200); // nothing rotated
        Assert.NotNull((await Rotate(p, """{"grace_period_seconds": 604800}""")).AssertStatus(200).Body["previous_keys_expire_at"]);
    }

    [Fact]
    public async Task CreateSigningKey_Returns201WithThePrivateKeyOnce()
    {
        var p = await NewProjectAsync();
        var response = (await Mgmt(HttpMethod.Post, $"{p.Base}/signing-key")).AssertStatus(201);
        var key = response.Body;
        Assert.Equal(["public_key_pem", "private_key_pem", "private_key_base64", "created_at"], key.Select(kv => kv.Key));
        var publicPem = (string)key["public_key_pem"]!;
        var privatePem = (string)key["private_key_pem"]!;
        var base64 = (string)key["private_key_base64"]!;
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", publicPem, StringComparison.Ordinal);
        Assert.Contains("PRIVATE KEY-----", privatePem, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', base64);
        Assert.Equal(privatePem, Encoding.UTF8.GetString(Convert.FromBase64String(base64)));
        Assert.Equal(Host.Time.GetUtcNow(), Time((string?)key["created_at"]));

        using var rsa = RSA.Create();
        rsa.ImportFromPem(privatePem);
        Assert.Equal(2048, rsa.KeySize);
        Assert.Equal(publicPem.Trim(), rsa.ExportSubjectPublicKeyInfoPem().Trim());

        var project = (await Mgmt(HttpMethod.Get, p.Base)).AssertStatus(200);
        Assert.True((bool)project.Body["signing_key"]!["configured"]!);
        Assert.Equal(publicPem, (string?)project.Body["signing_key"]!["public_key_pem"]);
        Assert.Equal(Host.Time.GetUtcNow(), Time((string?)project.Body["signing_key"]!["created_at"]));
        Assert.DoesNotContain("PRIVATE", project.Text, StringComparison.Ordinal);
        var list = (await Mgmt(HttpMethod.Get, "/management/v1/projects?limit=100")).AssertStatus(200);
        Assert.DoesNotContain("PRIVATE", list.Text, StringComparison.Ordinal);

        // A new key replaces the previous one.
        var next = (await Mgmt(HttpMethod.Post, $"{p.Base}/signing-key")).AssertStatus(201).Body;
        Assert.NotEqual(publicPem, (string?)next["public_key_pem"]);
        Assert.Equal((string?)next["public_key_pem"], (string?)(await Mgmt(HttpMethod.Get, p.Base)).AssertStatus(200).Body["signing_key"]!["public_key_pem"]);
    }
}

public sealed class SqliteProjectKeyTests(SqliteFixture fixture) : ProjectKeyTests<SqliteFixture>(fixture);

public sealed class PostgresProjectKeyTests(PostgresFixture fixture) : ProjectKeyTests<PostgresFixture>(fixture);
