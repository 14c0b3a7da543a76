using System.Text;
using System.Text.Json.Nodes;

namespace Notiflows.Server.Providers.Chat;

/// <summary>The chat message body of §14.3: a json template's object as is, else the Markdown text wrapped by the provider.</summary>
internal static class ChatPayload
{
    public static JsonObject? Of(JsonObject data, Func<string, JsonObject> markdown) => data["body"] switch
    {
        JsonObject body when data.Text("content_type") == "json" => body.DeepClone().AsObject(),
        JsonValue v when data.Text("content_type") != "json" && v.TryGetValue<string>(out var text) => markdown(text),
        _ => null,
    };

    public static StringContent Content(JsonObject payload) => new(payload.ToJsonString(), Encoding.UTF8, "application/json");
}
