namespace Notiflows.Core.Channels;

/// <summary>The provider names of §14.2.</summary>
public static class Providers
{
    public const string Smtp = "smtp";
    public const string SendGrid = "sendgrid";
    public const string Ses = "ses";
    public const string Resend = "resend";
    public const string Mailgun = "mailgun";
    public const string Postmark = "postmark";
    public const string Twilio = "twilio";
    public const string Apns = "apns";
    public const string Fcm = "fcm";
    public const string WebPush = "webpush";
    public const string Slack = "slack";
    public const string Discord = "discord";
    public const string MsTeams = "msteams";
    public const string Http = "http";
    public const string Sandbox = "sandbox";
    public const string InApp = "in_app";
}
