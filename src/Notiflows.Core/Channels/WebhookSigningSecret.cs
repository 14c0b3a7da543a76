using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Notiflows.Core.Common;

namespace Notiflows.Core.Channels;

/// <summary>The webhook <c>signing_secret</c> of §14.2: <c>whsec_</c> + base64 of 24–64 random bytes (Standard Webhooks).</summary>
public static class WebhookSigningSecret
{
    public const string Prefix = "whsec_";

    /// <summary>The value a channel PUT sends to have the server generate the secret.</summary>
    public const string GenerateKeyword = "generate";

    public const int GeneratedBytes = 32;
    private const int MinBytes = 24;
    private const int MaxBytes = 64;

    /// <summary><c>whsec_</c> + base64 of 32 bytes from the system CSPRNG.</summary>
    public static string Generate() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(GeneratedBytes));

    public static bool IsValid(string value) => TryDecodeKey(value, out _);

    /// <summary>The HMAC key: the base64-decoded part after the prefix.</summary>
    public static bool TryDecodeKey(string value, out byte[] key)
    {
        key = [];
        if (value is null || !value.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var body = value.AsSpan(Prefix.Length);
        var buffer = new byte[body.Length];
        if (!Convert.TryFromBase64Chars(body, buffer, out var written) || written is < MinBytes or > MaxBytes)
        {
            return false;
        }

        key = buffer[..written];
        return true;
    }

    internal static FieldProblem? Check(JsonNode value) =>
        FieldRules.AsString(value, FieldRules.TextLength, out var text)
        ?? (IsValid(text)
            ? null
            : new FieldProblem($"must be \"{GenerateKeyword}\" or {Prefix} followed by the base64 of 24 to 64 bytes", Reasons.Format));
}
