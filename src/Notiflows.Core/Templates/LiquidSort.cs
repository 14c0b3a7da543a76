using System.Collections;
using System.Globalization;

namespace Notiflows.Core.Templates;

/// <summary>The case-sensitive ordering of Liquid's <c>sort</c> filter.</summary>
internal static class LiquidSort
{
    private static readonly Comparer<object?> Order = Comparer<object?>.Create(CompareValues);

    public static IEnumerable? Sort(object? input, string? property)
    {
        if (input is null or string || input is not IEnumerable items)
        {
            return input is null ? null : new List<object?> { input };
        }

        var list = items.Cast<object?>().ToList();
        return string.IsNullOrEmpty(property)
            ? list.OrderBy(item => item, Order).ToList()
            : list.OrderBy(item => item is IDictionary<string, object> hash && hash.TryGetValue(property, out var key) ? key : null, Order)
                .ToList();
    }

    private static int CompareValues(object? left, object? right)
    {
        if (left is null || right is null)
        {
            return (left is null ? 1 : 0) - (right is null ? 1 : 0);
        }

        if (IsNumber(left) && IsNumber(right))
        {
            return Convert.ToDecimal(left, CultureInfo.InvariantCulture).CompareTo(Convert.ToDecimal(right, CultureInfo.InvariantCulture));
        }

        return string.CompareOrdinal(
            Convert.ToString(left, CultureInfo.InvariantCulture), Convert.ToString(right, CultureInfo.InvariantCulture));
    }

    private static bool IsNumber(object value) => value is long or int or decimal or double or float or short or byte;
}
