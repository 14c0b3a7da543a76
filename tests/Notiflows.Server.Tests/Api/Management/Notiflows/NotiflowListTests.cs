using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.Management.Notiflows;

/// <summary><c>GET /notiflows</c> (§8.4): ordering, page-number paging (§4.8) and filters.</summary>
public abstract class NotiflowListTests<TFixture>(TFixture fixture) : NotiflowApiTests<TFixture>(fixture) where TFixture : HostFixture
{
    private async Task<JsonObject> ListAsync(TestProject p, string query = "") =>
        (await Mgmt(HttpMethod.Get, $"{p.Base}/notiflows{query}")).AssertStatus(200).Body;

    private static string[] Handles(JsonObject list) => list["items"]!.AsArray().Select(i => (string)i!["handle"]!).ToArray();

    [Fact]
    public async Task List_OrdersByHandle_WithPageInfoAndWithoutVersions()
    {
        var p = await NewProjectAsync();
        foreach (var handle in new[] { "charlie", "alpha", "bravo" })
        {
            await CreateFlowAsync(p, handle);
        }

        var list = await ListAsync(p);

        Assert.Equal(["alpha", "bravo", "charlie"], Handles(list));
        Assert.True(JsonNode.DeepEquals(Flows.Obj("""{"page": 1, "limit": 25, "total_count": 3, "total_pages": 1}"""), list["page_info"]),
            list["page_info"]!.ToJsonString());
        var item = list["items"]![0]!.AsObject();
        Assert.Equal(
            ["id", "handle", "name", "description", "active", "include_in_preferences", "has_unpublished_changes", "current_version_id",
             "published_version_id", "archived_at", "created_at", "updated_at"],
            item.Select(kv => kv.Key));
        Assert.False(item.ContainsKey("current_version"));
        Assert.False(item.ContainsKey("published_version"));
    }

    [Fact]
    public async Task List_WithPageAndLimit_ReturnsThatPageAndCounts()
    {
        var p = await NewProjectAsync();
        foreach (var handle in new[] { "f1", "f2", "f3", "f4", "f5" })
        {
            await CreateFlowAsync(p, handle);
        }

        var second = await ListAsync(p, "?page=2&limit=2");
        Assert.Equal(["f3", "f4"], Handles(second));
        Assert.True(JsonNode.DeepEquals(Flows.Obj("""{"page": 2, "limit": 2, "total_count": 5, "total_pages": 3}"""), second["page_info"]),
            second["page_info"]!.ToJsonString());

        var last = await ListAsync(p, "?page=3&limit=2");
        Assert.Equal(["f5"], Handles(last));

        var past = await ListAsync(p, "?page=4&limit=2");
        Assert.Empty(past["items"]!.AsArray());
        Assert.Equal(5, (int)past["page_info"]!["total_count"]!);
        Assert.Equal(4, (int)past["page_info"]!["page"]!);
    }

    [Fact]
    public async Task List_Empty_HasZeroTotalPages()
    {
        var p = await NewProjectAsync();

        var list = await ListAsync(p);

        Assert.Empty(list["items"]!.AsArray());
        Assert.Equal(0, (int)list["page_info"]!["total_count"]!);
        Assert.Equal(0, (int)list["page_info"]!["total_pages"]!);
    }

    [Fact]
    public async Task List_WithLimitAbove100_ClampsTo100()
    {
        var p = await NewProjectAsync();
        await CreateFlowAsync(p, "only");

        var list = await ListAsync(p, "?limit=1000");
        var huge = await ListAsync(p, "?limit=99999999999999999999999");
        var farPage = await ListAsync(p, "?page=99999999999999999999999");

        Assert.Equal(100, (int)list["page_info"]!["limit"]!);
        Assert.Equal(1, (int)list["page_info"]!["total_pages"]!);
        Assert.Equal(100, (int)huge["page_info"]!["limit"]!);
        Assert.Single(huge["items"]!.AsArray());
        Assert.Empty(farPage["items"]!.AsArray());
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=-3", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("page=0", "page")]
    [InlineData("page=x", "page")]
    [InlineData("active=yes", "active")]
    [InlineData("published=1", "published")]
    [InlineData("archived=maybe", "archived")]
    public async Task List_WithMalformedQueryParam_Returns400InvalidParam(string query, string param)
    {
        var p = await NewProjectAsync();

        var error = (await Mgmt(HttpMethod.Get, $"{p.Base}/notiflows?{query}")).AssertError(400, "bad_request");

        Assert.Equal("invalid_param", (string?)error["details"]!["reason"]);
        Assert.Equal(param, (string?)error["details"]!["param"]);
    }

    [Fact]
    public async Task List_WithQuery_MatchesNameOrHandleCaseInsensitively()
    {
        var p = await NewProjectAsync();
        await CreateFlowAsync(p, "order-shipped", name: "Parcel on its way");
        await CreateFlowAsync(p, "welcome", name: "Hello NEW user");
        await CreateFlowAsync(p, "billing", name: "Invoices");

        Assert.Equal(["order-shipped"], Handles(await ListAsync(p, "?query=SHIP")));
        Assert.Equal(["order-shipped"], Handles(await ListAsync(p, "?query=parcel")));
        Assert.Equal(["welcome"], Handles(await ListAsync(p, "?query=new%20user")));
        Assert.Equal(["billing", "order-shipped"], Handles(await ListAsync(p, "?query=i")));
        Assert.Empty(Handles(await ListAsync(p, "?query=zzz")));
        var counted = await ListAsync(p, "?query=e&limit=1");
        Assert.Equal(3, (int)counted["page_info"]!["total_count"]!);
    }

    [Fact]
    public async Task List_WithQueryContainingLikeWildcards_MatchesThemLiterally()
    {
        var p = await NewProjectAsync();
        await CreateFlowAsync(p, "plain", name: "Plain");
        await CreateFlowAsync(p, "percent", name: "100% off");

        Assert.Equal(["percent"], Handles(await ListAsync(p, "?query=%25")));
        Assert.Empty(Handles(await ListAsync(p, "?query=_")));
    }

    [Fact]
    public async Task List_WithActiveAndPublishedFilters_ReturnsMatchingOnly()
    {
        var p = await NewProjectAsync();
        await CreateFlowAsync(p, "active-draft");
        await CreateFlowAsync(p, "active-published");
        await PublishAsync(p, "active-published");
        await CreateFlowAsync(p, "inactive-published");
        await PublishAsync(p, "inactive-published");
        await PostFlow(p, "inactive-published", "deactivate");

        Assert.Equal(["active-draft", "active-published"], Handles(await ListAsync(p, "?active=true")));
        Assert.Equal(["inactive-published"], Handles(await ListAsync(p, "?active=FALSE")));
        Assert.Equal(["active-published", "inactive-published"], Handles(await ListAsync(p, "?published=true")));
        Assert.Equal(["active-draft"], Handles(await ListAsync(p, "?published=false")));
        Assert.Equal(["active-published"], Handles(await ListAsync(p, "?published=true&active=True")));
    }

    [Fact]
    public async Task List_HidesArchivedByDefault_AndArchivedTrueShowsOnlyArchived()
    {
        var p = await NewProjectAsync();
        await CreateFlowAsync(p, "kept");
        await CreateFlowAsync(p, "gone");
        (await PostFlow(p, "gone", "archive")).AssertStatus(200);

        var visible = await ListAsync(p);
        Assert.Equal(["kept"], Handles(visible));
        Assert.Equal(1, (int)visible["page_info"]!["total_count"]!);
        Assert.Equal(["kept"], Handles(await ListAsync(p, "?archived=false")));
        var archived = await ListAsync(p, "?archived=true");
        Assert.Equal(["gone"], Handles(archived));
        Assert.NotNull(archived["items"]![0]!["archived_at"]);
    }
}

public sealed class SqliteNotiflowListTests(SqliteFixture fixture) : NotiflowListTests<SqliteFixture>(fixture);

public sealed class PostgresNotiflowListTests(PostgresFixture fixture) : NotiflowListTests<PostgresFixture>(fixture);
