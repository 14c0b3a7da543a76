using System.Globalization;
using System.Text.Json.Nodes;

namespace Notiflows.Server.Providers.Push;

/// <summary>
/// The FCM HTTP v1 request body (https://firebase.google.com/docs/reference/fcm/rest/v1/projects.messages):
/// <c>{message: {token, notification: {title, body, image}, data, android, apns}}</c> from the rendered mobile_push data
/// (§11.4). <c>data</c> holds string values only; the Android and APNs overrides appear only when the template sets them.
/// </summary>
public static class FcmMessage
{
    public static JsonObject Build(string token, JsonObject data, DateTimeOffset now)
    {
        var ttl = data.Integer("ttl");
        var priority = data.Text("priority");
        var android = new JsonObject()
            .Put("priority", priority?.ToUpperInvariant())
            .Put("ttl", ttl is { } t ? $"{t}s" : null)
            .Put("collapse_key", data.Text("collapse_id"))
            .Put("notification", new JsonObject()
                .Put("channel_id", data.Text("android_channel_id"))
                .Put("sound", data.Text("sound"))
                .Put("notification_count", data.Integer("badge_count")));
        var apns = new JsonObject()
            .Put("headers", new JsonObject()
                .Put("apns-priority", priority is null ? null : priority == "high" ? "10" : "5")
                .Put("apns-expiration", ttl is { } s ? now.AddSeconds(s).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) : null)
                .Put("apns-collapse-id", data.Text("collapse_id")))
            .Put("payload", new JsonObject().Put("aps", ApnsMessage.Aps(data, alert: false)));
        var message = new JsonObject { ["token"] = token }
            .Put("notification", new JsonObject
            {
                ["title"] = data.Text("title"),
                ["body"] = data.Text("body"),
            }.Put("image", data.Text("image_url")))
            .Put("data", new JsonObject().Put("action_url", data.Text("action_url")))
            .Put("android", android)
            .Put("apns", apns);
        return new JsonObject { ["message"] = message };
    }
}
