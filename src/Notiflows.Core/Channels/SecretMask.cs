namespace Notiflows.Core.Channels;

/// <summary>The masked form of a secret config value (§8.7).</summary>
public static class SecretMask
{
    public const string Stars = "****";
    private const int RevealedChars = 4;
    private const int MinLengthToReveal = 12;

    /// <summary><c>"****"</c> + the last 4 characters when the value has at least 12, otherwise <c>"****"</c>.</summary>
    public static string Mask(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length >= MinLengthToReveal ? Stars + value[^RevealedChars..] : Stars;
    }
}
