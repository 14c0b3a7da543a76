using System.Buffers;
using System.Text.Json;
using Notiflows.Server.Errors;

namespace Notiflows.Server.Infrastructure;

/// <summary>
/// Reads a request body as a JSON object (§4.1): any Content-Type, empty = <c>{}</c>, not an object or not
/// JSON → 400 <c>invalid_json</c>, larger than the limit → 413. Handlers then read fields themselves so that
/// every type error is reported with its JSON path.
/// </summary>
public static class JsonBody
{
    public const long DefaultLimit = 1024 * 1024;
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 128 };

    public static async Task<(JsonElement Body, ApiError? Error)> ReadAsync(HttpRequest request, long limit, CancellationToken ct)
    {
        var (bytes, error) = await ReadBytesAsync(request, limit, ct);
        return error is not null ? (default, error) : Parse(bytes);
    }

    /// <summary>The raw body, at most <paramref name="limit"/> bytes (larger → 413), whatever its format.</summary>
    public static async Task<(ReadOnlyMemory<byte> Bytes, ApiError? Error)> ReadBytesAsync(HttpRequest request, long limit, CancellationToken ct)
    {
        if (request.ContentLength > limit)
        {
            return (default, ApiError.PayloadTooLarge(limit));
        }
        var buffer = new ArrayBufferWriter<byte>();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.WrittenCount + read > limit)
                {
                    return (default, ApiError.PayloadTooLarge(limit));
                }
                buffer.Write(chunk.AsSpan(0, read));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return (buffer.WrittenMemory, null);
    }

    public static (JsonElement Body, ApiError? Error) Parse(ReadOnlyMemory<byte> bytes)
    {
        if (bytes.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            return (JsonDocument.Parse("{}").RootElement, null);
        }
        try
        {
            using var document = JsonDocument.Parse(bytes, DocumentOptions);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object ? (root.Clone(), null) : (default, ApiError.InvalidJson());
        }
        catch (JsonException)
        {
            return (default, ApiError.InvalidJson());
        }
    }
}
