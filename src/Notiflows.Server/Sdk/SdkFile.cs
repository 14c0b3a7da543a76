using System.Security.Cryptography;

namespace Notiflows.Server.Sdk;

/// <summary>One file of the JavaScript SDK, read once from the assembly, with its strong ETag (a hash of its bytes).</summary>
public sealed record SdkFile(string Name, byte[] Content, string ETag)
{
    public const string ResourcePrefix = "sdk/";

    /// <summary>Every file embedded under <c>sdk/</c> (see the server's project file), by name.</summary>
    public static IReadOnlyDictionary<string, SdkFile> LoadAll()
    {
        var assembly = typeof(SdkFile).Assembly;
        var files = new Dictionary<string, SdkFile>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var name = resource[ResourcePrefix.Length..];
            files[name] = new SdkFile(name, content, $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..32]}\"");
        }
        return files;
    }
}
