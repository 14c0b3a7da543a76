using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using DotLiquid;
using DotLiquid.Exceptions;
using DotLiquid.NamingConventions;
using LiquidTemplate = DotLiquid.Template;

namespace Notiflows.Core.Templates;

/// <summary>
/// Parses (once per distinct source, bounded cache) and renders Liquid with the Notiflows filters. Each render gets its own
/// DotLiquid <see cref="Context"/>, so cached templates are shared safely between threads and errors are per render.
/// </summary>
internal static class LiquidEngine
{
    /// <summary>Distinct sources kept parsed; past this the cache is cleared and refills (definitions change rarely).</summary>
    public const int CacheCapacity = 4096;

    /// <summary>Guards the hot path against runaway loops (<c>for</c> over huge ranges); exceeding it is a render error.</summary>
    private const int MaxIterations = 100_000;

    private static readonly Lazy<bool> Configuration = new(() =>
    {
        // DotLiquid's default, set explicitly: filter methods map to snake_case names; Hash keys are used exactly as given.
        LiquidTemplate.NamingConvention = new RubyNamingConvention();
        return true;
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly ConcurrentDictionary<string, LiquidTemplate> Cache = new(StringComparer.Ordinal);

    private static readonly Type[] Filters = [typeof(LiquidFilters)];

    /// <summary>Sets DotLiquid's global state once (thread-safe, idempotent).</summary>
    public static void EnsureConfigured() => _ = Configuration.Value;

    /// <summary>Renders <paramref name="source"/>; exactly one of the results is non-null.</summary>
    public static (string? Output, string? Error) Render(string source, Hash variables, DateTimeOffset now)
    {
        if (!TryParse(source, out var template, out var parseError))
        {
            return (null, parseError);
        }

        var registers = new Hash { [LiquidFilters.NowRegister] = now };
        var context = new Context(
            [variables], new Hash(), registers, ErrorsOutputMode.Display, MaxIterations, CultureInfo.InvariantCulture,
            CancellationToken.None);
        context.AddFilters(Filters);
        string output;
        try
        {
            output = template.Render(RenderParameters.FromContext(context, CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is LiquidException or InvalidOperationException or System.ArgumentException or FormatException
                                       or OverflowException or ArithmeticException or RegexMatchTimeoutException)
        {
            return (null, e.Message);
        }

        // DotLiquid writes "Liquid error: …" into the output instead of throwing; undefined variables are not errors (§11.1).
        var error = context.Errors.FirstOrDefault(e => e is not VariableNotFoundException);
        return error is null ? (output, null) : (null, error.Message);
    }

    private static bool TryParse(string source, out LiquidTemplate template, out string? error)
    {
        error = null;
        if (Cache.TryGetValue(source, out template!))
        {
            return true;
        }

        EnsureConfigured();
        try
        {
            template = LiquidTemplate.Parse(source);
            template.MakeThreadSafe();
        }
        catch (Exception e) when (e is LiquidException or RegexMatchTimeoutException)
        {
            error = e.Message;
            return false;
        }

        if (Cache.Count >= CacheCapacity)
        {
            Cache.Clear();
        }

        Cache.TryAdd(source, template);
        return true;
    }
}
