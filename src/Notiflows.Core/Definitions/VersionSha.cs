using System.Security.Cryptography;
using System.Text;
using Notiflows.Core.Common;

namespace Notiflows.Core.Definitions;

/// <summary>The version <c>sha</c> (§5.10): SHA-256 of the JCS form of the steps' response form, without template ids.</summary>
public static class VersionSha
{
    public static string Compute(IReadOnlyList<Step> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var canonical = JsonCanonicalizer.Canonicalize(StepJson.ToJson(steps, includeTemplateId: false));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
