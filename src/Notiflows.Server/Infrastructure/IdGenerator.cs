using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Notiflows.Server.Infrastructure;

/// <summary>
/// UUIDv7 ids (RFC 9562) from the injected clock, monotonic within this process: ids made in the same
/// millisecond count up in the 12-bit <c>rand_a</c> field (method 1 of §6.2), so ordering by id is ordering by creation.
/// </summary>
public sealed class IdGenerator(TimeProvider time)
{
    private readonly Lock _lock = new();
    private long _lastMillis = -1;
    private int _sequence;

    public Guid New()
    {
        long millis;
        int sequence;
        lock (_lock)
        {
            millis = Math.Max(time.GetUtcNow().ToUnixTimeMilliseconds(), _lastMillis);
            if (millis == _lastMillis)
            {
                _sequence++;
                if (_sequence > 0xFFF)
                {
                    millis++;
                    _sequence = 0;
                }
            }
            else
            {
                _sequence = RandomNumberGenerator.GetInt32(0, 0x800);
            }
            _lastMillis = millis;
            sequence = _sequence;
        }
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes[8..]);
        BinaryPrimitives.WriteInt64BigEndian(bytes, millis << 16);
        bytes[6] = (byte)(0x70 | (sequence >> 8));
        bytes[7] = (byte)sequence;
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>The smallest id any UUIDv7 of the millisecond of <paramref name="at"/> can have (every bit after the time zero).</summary>
    public static Guid MinAt(DateTimeOffset at) => Bound(at, 0x00);

    /// <summary>The largest id any UUIDv7 of the millisecond of <paramref name="at"/> can have (every bit after the time one).</summary>
    public static Guid MaxAt(DateTimeOffset at) => Bound(at, 0xFF);

    private static Guid Bound(DateTimeOffset at, byte fill)
    {
        // 48 bits of Unix milliseconds; a time outside them clamps to the first or last possible id.
        var millis = Math.Clamp(at.ToUnixTimeMilliseconds(), 0, (1L << 48) - 1);
        Span<byte> bytes = stackalloc byte[16];
        bytes.Fill(fill);
        BinaryPrimitives.WriteInt64BigEndian(bytes, (millis << 16) | (fill == 0 ? 0L : 0xFFFFL));
        return new Guid(bytes, bigEndian: true);
    }
}
