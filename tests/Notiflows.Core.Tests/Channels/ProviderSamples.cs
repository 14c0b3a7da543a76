using Notiflows.Core.Channels;

namespace Notiflows.Core.Tests.Channels;

/// <summary>One valid config per §14.2 row, with the fields whose absence must give <c>required</c>.</summary>
internal static class ProviderSamples
{
    public const string Pem = "-----BEGIN PRIVATE KEY-----\\nMIGTAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBHkwdwIBAQQg\\n-----END PRIVATE KEY-----";
    public const string VapidPublic = "BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U";
    public const string VapidPrivate = "UUxI4O8-FbRouAevSmBQ6o18hgE4nSG3qwvJTfKc-ls";

    public static IEnumerable<(string Type, string Provider, string Json, string[] Required)> All()
    {
        const string from = "'from_email':'ops@example.com'";
        yield return (ChannelTypes.Email, "smtp", $"{{'host':'smtp.example.com',{from}}}", ["host", "from_email"]);
        yield return (ChannelTypes.Email, "sendgrid", $"{{'api_key':'SG.abcdefghijklmnop',{from}}}", ["api_key", "from_email"]);
        yield return (ChannelTypes.Email, "ses",
            $"{{'access_key_id':'AKIAEXAMPLE','secret_access_key':'wJalrXUtnFEMI/K7MDENG','region':'eu-west-1',{from}}}",
            ["access_key_id", "secret_access_key", "region", "from_email"]);
        yield return (ChannelTypes.Email, "resend", $"{{'api_key':'re_abcdefghijkl',{from}}}", ["api_key", "from_email"]);
        yield return (ChannelTypes.Email, "mailgun", $"{{'api_key':'key-abcdefghijkl','domain':'mg.example.com',{from}}}",
            ["api_key", "domain", "from_email"]);
        yield return (ChannelTypes.Email, "postmark", $"{{'server_token':'pm-token-abcdefgh',{from}}}", ["server_token", "from_email"]);
        yield return (ChannelTypes.Sms, "twilio", "{'account_sid':'AC123','auth_token':'tok_abcdefghijkl','from':'+15551234567'}",
            ["account_sid", "auth_token", "from"]);
        yield return (ChannelTypes.MobilePush, "apns",
            "{'bundle_id':'com.example.app','environment':'production','auth_type':'key'," +
            $"'key_id':'ABC123DEFG','team_id':'TEAM123456','key':'{Pem}'}}",
            ["bundle_id", "environment", "auth_type", "key_id", "team_id", "key"]);
        yield return (ChannelTypes.MobilePush, "apns",
            "{'bundle_id':'com.example.app','environment':'sandbox','auth_type':'certificate','certificate':'TUlJQ2VnSUJBekNDQWo='}",
            ["bundle_id", "environment", "auth_type", "certificate"]);
        yield return (ChannelTypes.MobilePush, "fcm",
            "{'project_id':'my-proj','service_account_json':'{\\'type\\':\\'service_account\\',\\'project_id\\':\\'my-proj\\'}'}",
            ["project_id", "service_account_json"]);
        yield return (ChannelTypes.WebPush, "webpush",
            $"{{'vapid_public_key':'{VapidPublic}','vapid_private_key':'{VapidPrivate}','vapid_subject':'mailto:ops@example.com'}}",
            ["vapid_public_key", "vapid_private_key", "vapid_subject"]);
        yield return (ChannelTypes.Chat, "slack", "{'bot_token':'xoxb-1234-5678-abcdef'}", ["bot_token"]);
        yield return (ChannelTypes.Chat, "discord", "{}", []);
        yield return (ChannelTypes.Chat, "msteams", "{}", []);
        yield return (ChannelTypes.Webhook, "http", "{'url':'https://hooks.example.com/in','timeout_seconds':5}", []);
        yield return (ChannelTypes.InApp, "in_app", "{}", []);
        foreach (var type in ChannelTypes.All.Where(t => t != ChannelTypes.InApp))
        {
            yield return (type, "sandbox", "{'outcome':'delivered'}", []);
        }
    }
}
