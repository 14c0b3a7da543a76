using System.Text.Json.Nodes;

namespace Notiflows.Core.Engine;

/// <summary>The normalised timing settings of wait, digest and throttle steps (§9.3) as a span.</summary>
public static class Timing
{
    public static TimeSpan Duration(JsonObject settings)
    {
        var amount = settings["duration"]!.GetValue<long>();
        return (string?)settings["duration_unit"] switch
        {
            "seconds" => TimeSpan.FromSeconds(amount),
            "minutes" => TimeSpan.FromMinutes(amount),
            "hours" => TimeSpan.FromHours(amount),
            _ => TimeSpan.FromDays(amount),
        };
    }
}
