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
 * Reads a table's rows straight from its b-tree pages, decoding SQLite's record format in
 * Java: a rowid table in rowid order, a WITHOUT ROWID table in primary-key order (its
 * index b-tree, whose interior cells hold rows too). It gives exactly what {@link RowSource} gives through
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
    /** Where each value of a record goes: its column in the table's list, or -1 for a stored generated column. */
    private final int[] slotColumn;
    /** A WITHOUT ROWID table: an index b-tree, read in key order and positioned by row count. */
    private final boolean keyed;
    /** The keyed tree's path: each level's page, header offset and the child being visited. */
    private final List<Object[]> keyedStack = new ArrayList<>();
    private long pendingChild;
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
                     Object[] defaults, int[] slotColumn) throws IOException, SQLException {
        this.connection = connection;
        this.file = file;
        this.upTo = upTo;
        this.columns = t.columns().size();
        this.alias = alias;
        this.defaults = defaults;
        this.slotColumn = slotColumn;
        this.keyed = !t.hasRowid();
        this.realAffinity = new boolean[columns];
        for (int i = 0; i < columns; i++) {
            realAffinity[i] = affinity(t.columns().get(i).declaredType()) == 'R';
        }
        this.serialTypes = new long[slotColumn.length + 1];
        this.leafBuffer = new byte[file.pageSize];
        if (keyed) {
            // positions count rows, as RowSource's OFFSET does: a resume skips the rows already read
            descendKeyed(root);
            long skip = Math.max(0, after);
            while (position < skip && next() != null) {
                // skipped
            }
        } else {
            this.position = after;
            descend(root, after);
        }
    }

    /**
     * Rows of {@code t} with rowid in ({@code after}, {@code upTo}] (a WITHOUT ROWID table: in key
     * order after the first {@code after} rows), or empty (with the reason) when the table or file
     * needs SQLite itself: a write-ahead log or hot journal with content (a live store is read from a
     * {@link SqliteSnapshot} instead), UTF-16 text, a virtual table, a column default that is a literal
     * only SQLite's affinity rules can read, or a WITHOUT ROWID key that is descending, has its own
     * collation or sits beside generated columns. Opens a read transaction on {@code c}, which
     * {@link #close} ends.
     */
    public static Optional<PageRows> open(java.nio.file.Path path, Connection c, SourceTable t, long after, long upTo, StringBuilder whyNot)
            throws SQLException {
        if (t.view()) {
            whyNot.append("a view");
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
            // the record's values: every column but VIRTUAL generated ones, in table order (STORED ones included)
            List<Integer> slots = new ArrayList<>();
            boolean generated = false;
            try (PreparedStatement ps = c.prepareStatement("SELECT name, dflt_value, hidden FROM pragma_table_xinfo(?) ORDER BY cid")) {
                ps.setString(1, t.name());
                try (ResultSet rs = ps.executeQuery()) {
                    int i = 0;
                    while (rs.next()) {
                        int hidden = rs.getInt(3);
                        if (hidden == 2 || hidden == 3) {
                            generated = true;
                            if (hidden == 3) {
                                slots.add(-1);
                            }
                            continue;
                        }
                        if (hidden != 0) {
                            whyNot.append("has hidden columns");
                            return Optional.empty();
                        }
                        if (i >= defaults.length || !rs.getString(1).equals(t.columns().get(i).name())) {
                            whyNot.append("its columns changed since the schema was read");
                            return Optional.empty();
                        }
                        String d = rs.getString(2);
                        if (d != null) {
                            Optional<Object> v = literal(d, affinity(t.columns().get(i).declaredType()));
                            if (v.isEmpty() && isLiteral(d)) {
                                whyNot.append("column ").append(rs.getString(1)).append(" has the default ").append(d)
                                        .append(", which only SQLite's affinity rules read");
                                return Optional.empty();
                            }
                            // an expression (CURRENT_TIMESTAMP, (datetime('now'))) is never read from a record: SQLite
                            // refuses to ADD COLUMN with one, so every record holds such a column's own value
                            defaults[i] = v.orElse(EXPRESSION);
                        }
                        slots.add(i);
                        i++;
                    }
                }
            }
            if (!t.hasRowid()) {
                if (generated) {
                    whyNot.append("a WITHOUT ROWID table with generated columns");
                    return Optional.empty();
                }
                Optional<List<Integer>> keyOrder = keyedSlots(c, t, whyNot);
                if (keyOrder.isEmpty()) {
                    return Optional.empty();
                }
                slots = keyOrder.get();
            }
            int alias = t.rowidAlias() && (sql == null || !DESC_ALIAS.matcher(sql).find())
                    ? t.columns().indexOf(t.column(t.primaryKey().get(0))) : -1;
            Optional<SqliteFile> file = SqliteFile.open(path, whyNot);
            if (file.isEmpty()) {
                return Optional.empty();
            }
            try {
                PageRows rows = new PageRows(c, file.get(), root, after, upTo, t, alias, defaults,
                        slots.stream().mapToInt(Integer::intValue).toArray());
                ok = true;
                return Optional.of(rows);
            } catch (IOException | SQLException e) {
                file.get().close();
                throw new DamagedFileException("reading " + t.name() + ": " + e.getMessage(), e);
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
     * A WITHOUT ROWID table's record order (key columns first, then the rest), from its primary-key
     * index; empty when its b-tree order is not RowSource's ORDER BY of the key, so that a resume by
     * row count lands on the same row whichever reader read before.
     */
    private static Optional<List<Integer>> keyedSlots(Connection c, SourceTable t, StringBuilder whyNot) throws SQLException {
        String index = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT name FROM pragma_index_list(?) WHERE origin = 'pk'")) {
            ps.setString(1, t.name());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    index = rs.getString(1);
                }
            }
        }
        if (index == null) {
            whyNot.append("a WITHOUT ROWID table whose key index is not listed");
            return Optional.empty();
        }
        List<Integer> slots = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT cid, \"desc\", coll, \"key\" FROM pragma_index_xinfo(?) ORDER BY seqno")) {
            ps.setString(1, index);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getInt(4) == 1 && (rs.getInt(2) != 0 || !"BINARY".equalsIgnoreCase(rs.getString(3)))) {
                        whyNot.append("a WITHOUT ROWID key that is descending or has its own collation");
                        return Optional.empty();
                    }
                    slots.add(rs.getInt(1));
                }
            }
        }
        if (slots.size() != t.columns().size()) {
            whyNot.append("a WITHOUT ROWID table whose key index does not hold every column");
            return Optional.empty();
        }
        return Optional.of(slots);
    }

    private static boolean isLiteral(String d) {
        String s = d.strip();
        return s.equalsIgnoreCase("null") || s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false") || s.startsWith("'")
                || s.regionMatches(true, 0, "x'", 0, 2) || NUMBER.matcher(s).matches();
    }

    /** Marks a default that is an expression: a record short of its column means the file is not what SQLite writes. */
    private static final Object EXPRESSION = new Object();

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
            return keyed ? nextKeyed() : nextByRowid();
        } catch (IOException | RuntimeException e) {
            throw new DamagedFileException((keyed ? "reading the row after row " : "reading rowid after ") + position + ": " + e.getMessage(), e);
        }
    }

    private Object[] nextByRowid() throws IOException {
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
            return record(leaf, at, size, rowid, file.usable - 35);
        }
        return null;
    }

    // ---------------------------------------------------------------- a WITHOUT ROWID table's index b-tree

    /** Pushes the path from {@code number} down its leftmost children to a leaf. */
    private void descendKeyed(long number) throws IOException {
        while (true) {
            byte[] p = new byte[file.pageSize];
            file.read(number, p);
            int h = headerAt(number);
            int type = p[h] & 0xff;
            if (type != 0x0a && type != 0x02) {
                throw new IOException("page " + number + " has type " + type + " inside an index b-tree: the file is damaged");
            }
            keyedStack.add(new Object[] {p, new int[] {h, u16(p, h + 3), 0}});
            if (type == 0x0a) {
                return;
            }
            int cells = u16(p, h + 3);
            number = cells > 0 ? u32(p, cellPointer(p, h, 12, 0)) : u32(p, h + 8);
        }
    }

    /**
     * In key order: a leaf's cells, then the parent's cell that follows that child (interior cells of
     * an index b-tree are rows too), then the next child's subtree.
     */
    private Object[] nextKeyed() throws IOException {
        if (pendingChild != 0) {
            long child = pendingChild;
            pendingChild = 0;
            descendKeyed(child);
        }
        while (!keyedStack.isEmpty()) {
            Object[] top = keyedStack.get(keyedStack.size() - 1);
            byte[] p = (byte[]) top[0];
            int[] at = (int[]) top[1];
            boolean leafPage = (p[at[0]] & 0xff) == 0x0a;
            if (leafPage && at[2] < at[1]) {
                return keyedCell(p, cellPointer(p, at[0], 8, at[2]++));
            }
            keyedStack.remove(keyedStack.size() - 1);
            if (keyedStack.isEmpty()) {
                break;
            }
            Object[] parent = keyedStack.get(keyedStack.size() - 1);
            byte[] pp = (byte[]) parent[0];
            int[] pat = (int[]) parent[1];
            if (pat[2] < pat[1]) {
                int cell = cellPointer(pp, pat[0], 12, pat[2]++);
                pendingChild = pat[2] < pat[1] ? u32(pp, cellPointer(pp, pat[0], 12, pat[2])) : u32(pp, pat[0] + 8);
                return keyedCell(pp, cell + 4);
            }
            // the parent's rightmost child is done: the parent is too
        }
        done = true;
        return null;
    }

    private Object[] keyedCell(byte[] p, int at) throws IOException {
        long size = varint(p, at);
        position++;
        return record(p, at + varintLength, size, position, ((file.usable - 12) * 64 / 255) - 23);
    }

    /** The record at {@code at}; {@code x} is the most payload a cell of this page kind keeps on the page. */
    private Object[] record(byte[] p, int at, long size, long rowid, int x) throws IOException {
        byte[] buf = p;
        int start = at;
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
        for (int slot = 0; slot < slotColumn.length; slot++) {
            int i = slotColumn[slot];
            if (slot >= n) {
                if (i >= 0) {
                    Object d = defaults[i];
                    if (d == EXPRESSION) {
                        throw new IOException("row " + rowid + " has no value for column " + (i + 1)
                                + ", whose default is an expression SQLite never leaves to the reader: the file is damaged");
                    }
                    row[i] = d == NULL ? null : d;
                }
                continue;
            }
            long st = serialTypes[slot];
            Object v;
            int len;
            if (st < 12) {
                len = st < 5 ? (int) st : st == 5 ? 6 : st < 8 ? 8 : 0;
                if (i < 0) {
                    body += len;
                    continue;
                }
                switch ((int) st) {
                    case 0 -> v = null;
                    case 1 -> v = (long) buf[body];
                    case 2 -> v = (long) (short) ((buf[body] << 8) | (buf[body + 1] & 0xff));
                    case 3 -> v = (long) (((buf[body] << 16) | ((buf[body + 1] & 0xff) << 8) | (buf[body + 2] & 0xff)));
                    case 4 -> v = (long) readInt(buf, body);
                    case 5 -> v = ((long) (short) ((buf[body] << 8) | (buf[body + 1] & 0xff)) << 32) | (readInt(buf, body + 2) & 0xffffffffL);
                    case 6 -> v = ((long) readInt(buf, body) << 32) | (readInt(buf, body + 4) & 0xffffffffL);
                    case 7 -> v = Double.longBitsToDouble(((long) readInt(buf, body) << 32) | (readInt(buf, body + 4) & 0xffffffffL));
                    case 8 -> v = 0L;
                    case 9 -> v = 1L;
                    default -> throw new IOException("row " + rowid + " has the reserved serial type " + st + ": the file is damaged");
                }
                if (v instanceof Long l) {
                    v = realAffinity[i] ? (Object) (double) l : integer(l);
                }
            } else {
                len = (int) ((st - 12) >> 1);
                if (body + len > start + size) {
                    throw new IOException("row " + rowid + " has a value beyond its record: the file is damaged");
                }
                if (i < 0) {
                    body += len;
                    continue;
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
