package dev.ferry.sqlite.write;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte buffer written big-endian, as COPY's binary format wants. */
public final class ByteSink {

    byte[] data;
    int size;

    /** With room for {@code capacity} bytes, so a batch like the last one never grows (and copies) its buffer. */
    public ByteSink(int capacity) {
        data = new byte[Math.max(64, capacity)];
    }

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

    /** A text field: its length, then its UTF-8 bytes; ASCII text is written without an intermediate array. */
    public void text(String s) {
        int n = s.length();
        room(4 + n);
        int start = size + 4;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                lengthPrefixed(s.getBytes(StandardCharsets.UTF_8), -1);
                return;
            }
            data[start + i] = (byte) c;
        }
        int32(n);
        size += n;
    }

    public void bytes(byte[] b) {
        room(b.length);
        System.arraycopy(b, 0, data, size, b.length);
        size += b.length;
    }
}
