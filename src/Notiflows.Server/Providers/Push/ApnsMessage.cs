using System.Text.Json.Nodes;

namespace Notiflows.Server.Providers.Push;

/// <summary>
/// The APNs payload (https://developer.apple.com/documentation/usernotifications/generating-a-remote-notification):
/// <c>{aps: {alert: {title, subtitle, body}, badge, sound, category, thread-id, interruption-level, relevance-score,
/// mutable-content}, action_url, image_url}</c> from the rendered mobile_push data (§11.4); unset fields are left out.
/// </summary>
public static class ApnsMessage
{
    public static JsonObject Build(JsonObject data) => new JsonObject { ["aps"] = Aps(data, alert: true) }
        .Put("action_url", data.Text("action_url"))
        .Put("image_url", data.Text("image_url"));

    /// <summary>
    /// The <c>aps</c> dictionary; without <paramref name="alert"/> (FCM fills the alert from its own notification) the alert
    /// appears only to carry a subtitle. <c>mutable-content</c> lets a notification service extension fetch the image.
    /// </summary>
    public static JsonObject Aps(JsonObject data, bool alert) => new JsonObject()
        .Put("alert", alert || data.Text("subtitle") is not null
            ? new JsonObject { ["title"] = data.Text("title") }.Put("subtitle", data.Text("subtitle")).Put("body", data.Text("body"))
            : null)
        .Put("badge", data.Integer("badge_count"))
        .Put("sound", data.Text("sound"))
        .Put("category", data.Text("category"))
        .Put("thread-id", data.Text("thread_id"))
        .Put("interruption-level", data.Text("interruption_level")?.Replace('_', '-'))
        .Put("relevance-score", data.Number("relevance_score"))
        .Put("mutable-content", data.Text("image_url") is null ? null : 1);
}
