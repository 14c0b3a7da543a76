namespace Notiflows.Server.Tests.Api.Admin.Preferences;

/// <summary>Bad preference updates (§5.8), shared by the Admin and the User API tests.</summary>
public static class PreferenceCases
{
    /// <summary>
    /// A <c>PUT …/preferences</c> body, field, reason, for a project with the published notiflows <c>orders</c> (in
    /// preferences) and <c>critical</c> (<c>include_in_preferences = false</c>).
    /// </summary>
    public static TheoryData<string, string, string> BadInput => new()
    {
        { """{"channel_types": {"webhook": false}}""", "channel_types.webhook", "invalid" },
        { """{"channel_types": {"fax": true}}""", "channel_types.fax", "invalid" },
        { """{"channel_types": {"sms": "no"}}""", "channel_types.sms", "invalid" },
        { """{"channel_types": {"sms": 0}}""", "channel_types.sms", "invalid" },
        { """{"channel_types": {"sms": {}}}""", "channel_types.sms", "invalid" },
        { """{"channel_types": ["sms"]}""", "channel_types", "invalid" },
        { """{"channel_types": null}""", "channel_types", "invalid" },
        { """{"notiflows": []}""", "notiflows", "invalid" },
        { """{"notiflows": {"orders": true}}""", "notiflows.orders", "invalid" },
        { """{"notiflows": {"orders": "off"}}""", "notiflows.orders", "invalid" },
        { """{"notiflows": {"orders": {"enabled": "no"}}}""", "notiflows.orders.enabled", "invalid" },
        { """{"notiflows": {"orders": {"channel_types": {"push": false}}}}""", "notiflows.orders.channel_types.push", "invalid" },
        { """{"notiflows": {"orders": {"channel_types": {"sms": 1}}}}""", "notiflows.orders.channel_types.sms", "invalid" },
        { """{"notiflows": {"orders": {"channel_types": "sms"}}}""", "notiflows.orders.channel_types", "invalid" },
        { """{"notiflows": {"ghost": {"enabled": false}}}""", "notiflows.ghost", "invalid" },
        { """{"notiflows": {"01936f3e-7a10-7c21-8a4b-1f2e3d4c5b6a": null}}""", "notiflows.01936f3e-7a10-7c21-8a4b-1f2e3d4c5b6a", "invalid" },
        { """{"notiflows": {"critical": {"enabled": false}}}""", "notiflows.critical", "not_allowed" },
        { """{"notiflows": {"critical": null}}""", "notiflows.critical", "not_allowed" },
    };
}
