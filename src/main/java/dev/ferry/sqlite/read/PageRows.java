package dev.ferry.sqlite.read;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a rowid table's rows in rowid order straight from its b-tree pages, decoding
 * SQLite's record format in Java. It gives exactly what {@link RowSource} gives through
 * sqlite-jdbc (same storage classes, Integer for values that fit an int, REAL-affinity
 * integers as Double, the rowid for an INTEGER PRIMARY KEY, a column added later as its
 * default), for a fraction of the CPU: sqlite-jdbc crosses into native code twice per
 * value. A read transaction on the connection holds SQLite's shared lock while the pages
 * are read, so no writer changes them underneath. Tables or files it cannot read exactly
 * (see {@link #open}) go through {@link RowSource}.
 */
public final class PageRows implements Rows {

    private static final Pattern DESC_ALIAS = Pattern.compile("integer\\s+primary\\s+key\\s+desc", Pattern.CASE_INSENSITIVE);
    private static final Pattern NUMBER = Pattern.compile("[+-]?\\d+(\\.\\d*)?([eE][+-]?\\d+)?");

    private final Connection connection;
    private final SqliteFile file;
    private final long upTo;
    private final int columns;
    private final int alias;
    private final boolean[] realAffinity;
    private final Object[] defaults;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);

    /** The path from the root to the current leaf: each level's page and the next cell to visit there. */
    private final List<byte[]> stackPages = new ArrayList<>();
    private final List<int[]> stackCells = new ArrayList<>();
    private byte[] leaf;
    private final byte[] leafBuffer;
    private int leafCell;
    private int leafCells;
    private int leafHeader;
    private byte[] payload = new byte[256];
    private byte[] overflow;
    private long position;
    private boolean done;
    private final long[] serialTypes;

    private PageRows(Connection connection, SqliteFile file, long root, long after, long upTo, SourceTable t, int alias,
                     Object[] defaults) throws IOException {
        this.connection = connection;
        this.file = file;
        this.upTo = upTo;
        this.columns = t.columns().size();
        this.alias = alias;
        this.defaults = defaults;
        this.realAffinity = new boolean[columns];
        for (int i = 0; i < columns; i++) {
            realAffinity[i] = affinity(t.columns().get(i).declaredType()) == 'R';
        }
        this.serialTypes = new long[columns + 1];
        this.leafBuffer = new byte[file.pageSize];
        this.position = after;
        descend(root, after);
    }

    /**
     * Rows of {@code t} with rowid in ({@code after}, {@code upTo}], or empty (with the reason) when the
     * table or file needs SQLite itself: a write-ahead log or hot journal with content, UTF-16 text,
     * generated columns, a virtual table, or a column default that is not a plain literal.
     * Opens a read transaction on {@code c}, which {@link #close} ends.
     */
    public static Optional<PageRows> open(java.nio.file.Path path, Connection c, SourceTable t, long after, long upTo, StringBuilder whyNot)
            throws SQLException {
        if (!t.hasRowid() || t.view()) {
            whyNot.append("not a rowid table");
            return Optional.empty();
        }
        c.setAutoCommit(false); // the read transaction: SQLite's shared lock until close()
        boolean ok = false;
        try {
            long root;
            String sql;
            try (PreparedStatement ps = c.prepareStatement("SELECT rootpage, sql FROM sqlite_master WHERE type = 'table' AND name = ?")) {
                ps.setString(1, t.name());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        whyNot.append("not in sqlite_master");
                        return Optional.empty();
                    }
                    root = rs.getLong(1);
                    sql = rs.getString(2);
                }
            }
            if (root <= 0) {
                whyNot.append("a virtual table");
                return Optional.empty();
            }
            Object[] defaults = new Object[t.columns().size()];
            try (PreparedStatement ps = c.prepareStatement("SELECT name, dflt_value, hidden FROM pragma_table_xinfo(?) ORDER BY cid")) {
                ps.setString(1, t.name());
                try (ResultSet rs = ps.executeQuery()) {
                    int i = 0;
                    while (rs.next()) {
                        if (rs.getInt(3) != 0) {
                            whyNot.append("has generated or hidden columns");
                            return Optional.empty();
                        }
                        if (i >= defaults.length || !rs.getString(1).equals(t.columns().get(i).name())) {
                            whyNot.append("its columns changed since the schema was read");
                            return Optional.empty();
                        }
                        String d = rs.getString(2);
                        if (d != null) {
                            Optional<Object> v = literal(d, affinity(t.columns().get(i).declaredType()));
                            if (v.isEmpty()) {
                                whyNot.append("column ").append(rs.getString(1)).append(" has the default ").append(d);
                                return Optional.empty();
                            }
                            defaults[i] = v.get();
                        }
                        i++;
                    }
                }
            }
            int alias = t.rowidAlias() && (sql == null || !DESC_ALIAS.matcher(sql).find())
                    ? t.columns().indexOf(t.column(t.primaryKey().get(0))) : -1;
            Optional<SqliteFile> file = SqliteFile.open(path, whyNot);
            if (file.isEmpty()) {
                return Optional.empty();
            }
            try {
                PageRows rows = new PageRows(c, file.get(), root, after, upTo, t, alias, defaults);
                ok = true;
                return Optional.of(rows);
            } catch (IOException e) {
                file.get().close();
                throw new SQLException("reading " + t.name() + " from " + path + ": " + e.getMessage(), e);
            }
        } catch (IOException e) {
            throw new SQLException("reading " + path + ": " + e.getMessage(), e);
        } finally {
            if (!ok) {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
    }

    /**
     * A column default as a record too short for the column reads it: SQLite applies the column's
     * affinity to the default. Only plain literals whose storage class that affinity keeps are read
     * here; anything else (an expression, '5' in an INTEGER column) is left to SQLite.
     */
    static Optional<Object> literal(String d, char affinity) {
        String s = d.strip();
        if (s.equalsIgnoreCase("null")) {
            return Optional.of(NULL);
        }
        if (s.length() >= 2 && s.startsWith("'") && s.endsWith("'") && !s.substring(1, s.length() - 1).replace("''", "").contains("'")) {
            return affinity == 'T' || affinity == 'B' ? Optional.of(s.substring(1, s.length() - 1).replace("''", "'")) : Optional.empty();
        }
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            s = s.equalsIgnoreCase("true") ? "1" : "0";
        }
        if (!NUMBER.matcher(s).matches() || affinity == 'T') {
            return Optional.empty();
        }
        boolean whole = !s.contains(".") && !s.toLowerCase(Locale.ROOT).contains("e");
        if (affinity == 'R') {
            return Optional.of(Double.parseDouble(s));
        }
        if (!whole) {
            return affinity == 'B' ? Optional.of(Double.parseDouble(s)) : Optional.empty();
        }
        try {
            return Optional.of(integer(Long.parseLong(s)));
        } catch (NumberFormatException e) {
            return Optional.empty(); // beyond 64 bits SQLite keeps it as REAL: let SQLite say how
        }
    }

    /** Marks a NULL default, so an absent default and a NULL one read the same. */
    private static final Object NULL = new Object();

    /**
     * SQLite's column affinity from the declared type (https://www.sqlite.org/datatype3.html, 3.1):
     * I(nteger), T(ext), B(lob, that is none), R(eal) or N(umeric).
     */
    static char affinity(String declared) {
        String d = declared.toUpperCase(Locale.ROOT);
        if (d.contains("INT")) {
            return 'I';
        }
        if (d.contains("CHAR") || d.contains("CLOB") || d.contains("TEXT")) {
            return 'T';
        }
        if (d.contains("BLOB") || d.isBlank()) {
            return 'B';
        }
        return d.contains("REAL") || d.contains("FLOA") || d.contains("DOUB") ? 'R' : 'N';
    }

    private static Object integer(long v) {
        return v == (int) v ? (Object) (int) v : (Object) v;
    }

    // ---------------------------------------------------------------- the b-tree


    private static int headerAt(long number) {
        return number == 1 ? 100 : 0;
    }

    /** Walks from {@code number} down to the leaf holding the first rowid after {@code after}. */
    private void descend(long number, long after) throws IOException {
        while (true) {
            // leaves are read into one buffer; the few interior pages on the path are kept as copies
            byte[] p = leafBuffer;
            file.read(number, p);
            int h = headerAt(number);
            int type = p[h] & 0xff;
            int cells = u16(p, h + 3);
            if (type == 0x0d) {
                leaf = p;
                leafHeader = h;
                leafCells = cells;
                leafCell = 0;
                return;
            }
            if (type != 0x05) {
                throw new IOException("page " + number + " has type " + type + " inside a table b-tree: the file is damaged");
            }
            // child i holds rowids up to its key; skip the children that end at or before `after`
            int i = 0;
            while (i < cells && varint(p, cellPointer(p, h, 12, i) + 4) <= after) {
                i++;
            }
            p = p.clone();
            stackPages.add(p);
            stackCells.add(new int[] {i + 1, h});
            number = i < cells ? u32(p, cellPointer(p, h, 12, i)) : u32(p, h + 8);
        }
    }

    /** Moves to the next leaf in rowid order; false at the end of the tree. */
    private boolean nextLeaf() throws IOException {
        while (!stackPages.isEmpty()) {
            int top = stackPages.size() - 1;
            byte[] p = stackPages.get(top);
            int[] at = stackCells.get(top);
            int h = at[1];
            int cells = u16(p, h + 3);
            if (at[0] > cells) {
                stackPages.remove(top);
                stackCells.remove(top);
                continue;
            }
            long child = at[0] < cells ? u32(p, cellPointer(p, h, 12, at[0])) : u32(p, h + 8);
            at[0]++;
            descend(child, Long.MIN_VALUE);
            return true;
        }
        return false;
    }

    @Override
    public Object[] next() throws SQLException {
        try {
            while (!done) {
                if (leafCell >= leafCells) {
                    if (!nextLeaf()) {
                        done = true;
                        break;
                    }
                    continue;
                }
                int at = cellPointer(leaf, leafHeader, 8, leafCell++);
                long size = varint(leaf, at);
                at += varintLength;
                long rowid = varint(leaf, at);
                at += varintLength;
                if (rowid <= position) {
                    continue; // before the range's start, in the first leaf
                }
                if (rowid > upTo) {
                    done = true;
                    break;
                }
                position = rowid;
                return record(leaf, at, size, rowid);
            }
            return null;
        } catch (IOException | RuntimeException e) {
            throw new SQLException("reading rowid after " + position + ": " + e.getMessage(), e);
        }
    }

    private Object[] record(byte[] p, int at, long size, long rowid) throws IOException {
        byte[] buf = p;
        int start = at;
        int x = file.usable - 35;
        if (size > x) {
            // the payload spills onto overflow pages: gather it into one buffer
            if (size > Integer.MAX_VALUE - 8) {
                throw new IOException("record of rowid " + rowid + " is larger than 2 GB");
            }
            int m = ((file.usable - 12) * 32 / 255) - 23;
            int k = (int) (m + ((size - m) % (file.usable - 4)));
            int local = k <= x ? k : m;
            if (payload.length < size) {
                payload = new byte[(int) Math.max(size, payload.length * 2L)];
            }
            System.arraycopy(p, at, payload, 0, local);
            long next = u32(p, at + local);
            int filled = local;
            if (overflow == null) {
                overflow = new byte[file.pageSize];
            }
            byte[] over = overflow;
            while (filled < size) {
                if (next == 0) {
                    throw new IOException("record of rowid " + rowid + " ends before its overflow pages do: the file is damaged");
                }
                file.read(next, over);
                int n = (int) Math.min(file.usable - 4, size - filled);
                System.arraycopy(over, 4, payload, filled, n);
                filled += n;
                next = u32(over, 0);
            }
            buf = payload;
            start = 0;
        }
        long headerSize = varint(buf, start);
        int h = start + varintLength;
        int end = (int) (start + headerSize);
        int n = 0;
        while (h < end && n < serialTypes.length) {
            serialTypes[n++] = varint(buf, h);
            h += varintLength;
        }
        Object[] row = new Object[columns];
        int body = end;
        for (int i = 0; i < columns; i++) {
            if (i >= n) {
                Object d = defaults[i];
                row[i] = d == NULL ? null : d;
                continue;
            }
            long st = serialTypes[i];
            Object v;
            int len;
            if (st < 12) {
                switch ((int) st) {
                    case 0 -> { v = null; len = 0; }
                    case 1 -> { v = (long) buf[body]; len = 1; }
                    case 2 -> { v = (long) (short) ((buf[body] << 8) | (buf[body + 1] & 0xff)); len = 2; }
                    case 3 -> { v = (long) (((buf[body] << 16) | ((buf[body + 1] & 0xff) << 8) | (buf[body + 2] & 0xff))); len = 3; }
                    case 4 -> { v = (long) readInt(buf, body); len = 4; }
                    case 5 -> { v = ((long) (short) ((buf[body] << 8) | (buf[body + 1] & 0xff)) << 32) | (readInt(buf, body + 2) & 0xffffffffL); len = 6; }
                    case 6 -> { v = ((long) readInt(buf, body) << 32) | (readInt(buf, body + 4) & 0xffffffffL); len = 8; }
                    case 7 -> { v = Double.longBitsToDouble(((long) readInt(buf, body) << 32) | (readInt(buf, body + 4) & 0xffffffffL)); len = 8; }
                    case 8 -> { v = 0L; len = 0; }
                    case 9 -> { v = 1L; len = 0; }
                    default -> throw new IOException("rowid " + rowid + " has the reserved serial type " + st + ": the file is damaged");
                }
                if (v instanceof Long l) {
                    v = realAffinity[i] ? (Object) (double) l : integer(l);
                }
            } else {
                len = (int) ((st - 12) >> 1);
                if (body + len > start + size) {
                    throw new IOException("rowid " + rowid + " has a value beyond its record: the file is damaged");
                }
                v = (st & 1) == 0 ? java.util.Arrays.copyOfRange(buf, body, body + len) : text(buf, body, len);
            }
            if (i == alias && v == null) {
                v = integer(rowid); // an INTEGER PRIMARY KEY is the rowid itself; its record slot stays NULL
            }
            row[i] = v;
            body += len;
        }
        return row;
    }

    /** Text as sqlite-jdbc gives it; text that is not valid UTF-8 as its raw bytes, which the converter rejects. */
    private Object text(byte[] b, int at, int len) {
        boolean ascii = true;
        for (int i = at; i < at + len; i++) {
            if (b[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(b, at, len, StandardCharsets.ISO_8859_1);
        }
        try {
            return utf8.decode(ByteBuffer.wrap(b, at, len)).toString();
        } catch (CharacterCodingException e) {
            return java.util.Arrays.copyOfRange(b, at, at + len);
        }
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public void close() throws SQLException {
        try {
            file.close();
        } catch (IOException e) {
            // a read-only mapping: nothing to lose
        } finally {
            connection.rollback();
            connection.setAutoCommit(true);
        }
    }

    // ---------------------------------------------------------------- bytes

    private int varintLength;

    /** SQLite's big-endian varint at {@code at}; its length is left in {@link #varintLength}. */
    private long varint(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            int x = b[at + i] & 0xff;
            v = (v << 7) | (x & 0x7f);
            if (x < 0x80) {
                varintLength = i + 1;
                return v;
            }
        }
        varintLength = 9;
        return (v << 8) | (b[at + 8] & 0xff);
    }

    private static int cellPointer(byte[] p, int header, int headerSize, int i) {
        return u16(p, header + headerSize + 2 * i);
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    private static long u32(byte[] b, int at) {
        return readInt(b, at) & 0xffffffffL;
    }

    private static int readInt(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }
}
