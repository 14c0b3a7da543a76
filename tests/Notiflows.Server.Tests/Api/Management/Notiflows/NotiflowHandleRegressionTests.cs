using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.Management.Notiflows;

/// <summary>Regressions of the handle rules.</summary>
public abstract class NotiflowHandleRegressionTests<TFixture>(TFixture fixture) : ApiTests<TFixture>(fixture) where TFixture : HostFixture
{
    // `$` in a .NET regex also matches before a final newline, so "welcome\n" passed the handle pattern.
    [Fact]
    public async Task Bug_2_HandleWithTrailingNewline_IsRejectedAsFormat()
    {
        var project = await NewProjectAsync();
        (await Mgmt(HttpMethod.Put, $"{project.Base}/notiflows/welcome%0A", """{"name": "Welcome"}"""))
            .AssertError(422, "validation_failed", "handle", "format");
        (await Mgmt(HttpMethod.Get, $"{project.Base}/notiflows/welcome%0A")).AssertError(404, "not_found");
    }
}

public sealed class SqliteNotiflowHandleRegressionTests(SqliteFixture fixture) : NotiflowHandleRegressionTests<SqliteFixture>(fixture);

public sealed class PostgresNotiflowHandleRegressionTests(PostgresFixture fixture) : NotiflowHandleRegressionTests<PostgresFixture>(fixture);
