package dev.ferry.sqlite.write;

import java.util.Arrays;

/** A growable byte buffer written big-endian, as COPY's binary format wants. */
public final class ByteSink {

    byte[] data = new byte[1 << 16];
    int size;

    private void room(int n) {
        if (size + n > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, size + n));
        }
    }

    public void int8(int v) {
        room(1);
        data[size++] = (byte) v;
    }

    public void int16(int v) {
        room(2);
        data[size++] = (byte) (v >>> 8);
        data[size++] = (byte) v;
    }

    public void int32(int v) {
        room(4);
        data[size++] = (byte) (v >>> 24);
        data[size++] = (byte) (v >>> 16);
        data[size++] = (byte) (v >>> 8);
        data[size++] = (byte) v;
    }

    public void int64(long v) {
        int32((int) (v >>> 32));
        int32((int) v);
    }

    /** A field: its length, then (after an optional version byte, for jsonb) the bytes. */
    public void lengthPrefixed(byte[] b, int versionByte) {
        int32(b.length + (versionByte >= 0 ? 1 : 0));
        if (versionByte >= 0) {
            int8(versionByte);
        }
        bytes(b);
    }

    public void bytes(byte[] b) {
        room(b.length);
        System.arraycopy(b, 0, data, size, b.length);
        size += b.length;
    }
}
