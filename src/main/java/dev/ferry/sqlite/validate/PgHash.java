package dev.ferry.sqlite.validate;

/**
 * PostgreSQL's hash_bytes_extended and hash_bytes_uint32_extended (Bob Jenkins' lookup3, as
 * src/common/hashfn.c has them) and the SQL functions built on them (hashtextextended,
 * hashint4extended, hashint8extended, hashfloat8extended), so that the server and Ferry
 * give the same 64 bits for the same value and seed. Validation sums these per row on both
 * sides; they are several times cheaper than MD5 on either side.
 */
public final class PgHash {

    private PgHash() {
    }

    /**
     * hashint4extended. PostgreSQL's hash_bytes_uint32_extended is hash_bytes_extended of the four
     * bytes in memory order (little-endian, as on the x86 and ARM servers PostgreSQL runs on), so the
     * value goes through {@code scratch} into that one implementation.
     */
    public static long hashUint32Extended(int k, long seed, byte[] scratch) {
        return hashBytesExtended(littleEndian(k, 4, scratch), 4, seed);
    }

    /** hashint8extended: the high half folded into the low one (so that int8 and int4 hash alike), then as int4. */
    public static long hashInt8Extended(long v, long seed, byte[] scratch) {
        int lo = (int) v;
        int hi = (int) (v >>> 32);
        lo ^= v >= 0 ? hi : ~hi;
        return hashUint32Extended(lo, seed, scratch);
    }

    /** hashfloat8extended: 0 and -0 hash to the seed itself, every NaN as one NaN, any other value by its eight bytes. */
    public static long hashFloat8Extended(double v, long seed, byte[] scratch) {
        if (v == 0.0) {
            return seed;
        }
        return hashBytesExtended(littleEndian(Double.doubleToLongBits(v), 8, scratch), 8, seed);
    }

    private static byte[] littleEndian(long bits, int bytes, byte[] scratch) {
        for (int i = 0; i < bytes; i++) {
            scratch[i] = (byte) (bits >>> (8 * i));
        }
        return scratch;
    }

    public static long hashBytesExtended(byte[] k, int length, long seed) {
        int a;
        int b;
        int c;
        int len = length;
        a = b = c = 0x9e3779b9 + len + 3923095;
        if (seed != 0) {
            a += (int) (seed >>> 32);
            b += (int) seed;
            // mix(a, b, c)
            a -= c; a ^= Integer.rotateLeft(c, 4); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 6); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 8); b += a;
            a -= c; a ^= Integer.rotateLeft(c, 16); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 19); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 4); b += a;
        }
        int p = 0;
        while (len >= 12) {
            a += (k[p] & 0xff) + ((k[p + 1] & 0xff) << 8) + ((k[p + 2] & 0xff) << 16) + ((k[p + 3] & 0xff) << 24);
            b += (k[p + 4] & 0xff) + ((k[p + 5] & 0xff) << 8) + ((k[p + 6] & 0xff) << 16) + ((k[p + 7] & 0xff) << 24);
            c += (k[p + 8] & 0xff) + ((k[p + 9] & 0xff) << 8) + ((k[p + 10] & 0xff) << 16) + ((k[p + 11] & 0xff) << 24);
            a -= c; a ^= Integer.rotateLeft(c, 4); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 6); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 8); b += a;
            a -= c; a ^= Integer.rotateLeft(c, 16); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 19); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 4); b += a;
            p += 12;
            len -= 12;
        }
        // the last 11 bytes; the lowest byte of c is reserved for the length
        switch (len) {
            case 11: c += (k[p + 10] & 0xff) << 24;
            // fall through
            case 10: c += (k[p + 9] & 0xff) << 16;
            // fall through
            case 9: c += (k[p + 8] & 0xff) << 8;
            // fall through
            case 8: b += (k[p + 7] & 0xff) << 24;
            // fall through
            case 7: b += (k[p + 6] & 0xff) << 16;
            // fall through
            case 6: b += (k[p + 5] & 0xff) << 8;
            // fall through
            case 5: b += k[p + 4] & 0xff;
            // fall through
            case 4: a += (k[p + 3] & 0xff) << 24;
            // fall through
            case 3: a += (k[p + 2] & 0xff) << 16;
            // fall through
            case 2: a += (k[p + 1] & 0xff) << 8;
            // fall through
            case 1: a += k[p] & 0xff;
            // fall through
            default: break;
        }
        // final(a, b, c)
        c ^= b; c -= Integer.rotateLeft(b, 14);
        a ^= c; a -= Integer.rotateLeft(c, 11);
        b ^= a; b -= Integer.rotateLeft(a, 25);
        c ^= b; c -= Integer.rotateLeft(b, 16);
        a ^= c; a -= Integer.rotateLeft(c, 4);
        b ^= a; b -= Integer.rotateLeft(a, 14);
        c ^= b; c -= Integer.rotateLeft(b, 24);
        return ((long) b << 32) | (c & 0xffffffffL);
    }
}
