using System.Text.Json.Nodes;

namespace Notiflows.Core.Templates;

/// <summary>The rendered delivery <c>data</c> (§11.4) or the render error; exactly one is non-null.</summary>
public sealed record RenderResult(JsonObject? Data, string? Error)
{
    public bool Succeeded => Error is null;

    internal static RenderResult Ok(JsonObject data) => new(data, null);

    internal static RenderResult Failed(string error) => new(null, error);
}
