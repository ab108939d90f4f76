package dev.ferry.bot.read;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Streams the records of a bot JSON file one at a time, so a file of any size
 * reads in constant memory. The file is either an object whose named arrays hold
 * records ({"trades": [...], "failed_orders": [...]}) or a bare array of records.
 * Other top-level values (such as last_run) are returned at the end.
 */
public final class BotJsonReader {

    /** Receives each record with its global number (from 1), its JSON path and the line it starts on. */
    @FunctionalInterface
    public interface RecordSink {
        void record(String kind, int recordNo, String path, int line, JsonNode record) throws IOException;
    }

    private final ObjectMapper mapper;
    private final Map<String, String> arrays;
    private final String bareArrayKind;
    private final boolean objectOfRecords;
    private long maxRecordBytes = DEFAULT_MAX_RECORD_BYTES;

    /** A bot record is a few hundred bytes; a value this big is a broken or hostile file, not data. */
    public static final long DEFAULT_MAX_RECORD_BYTES = 8L << 20;

    /**
     * @param arrays        top-level field name to record kind, e.g. trades to trade
     * @param bareArrayKind the kind of the records when the file is a bare array
     */
    public BotJsonReader(ObjectMapper mapper, Map<String, String> arrays, String bareArrayKind) {
        this(mapper, arrays, bareArrayKind, false);
    }

    /**
     * @param objectOfRecords the file is an object whose every value is a record, named by its field
     *                        ({"RELIANCE": {...}, "TCS": {...}}), as holdings.json is
     */
    public BotJsonReader(ObjectMapper mapper, Map<String, String> arrays, String bareArrayKind, boolean objectOfRecords) {
        this.mapper = mapper;
        this.arrays = arrays;
        this.bareArrayKind = bareArrayKind;
        this.objectOfRecords = objectOfRecords;
    }

    /**
     * The most bytes one record (or other top-level value) may take. Records are built as trees
     * one at a time; without a bound, one record of a few hundred megabytes on a single line
     * would exhaust the heap where the same bytes spread over many records stream in constant memory.
     */
    public BotJsonReader maxRecordBytes(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("ferry.batch.max-record-bytes must be 1 or more, got " + bytes);
        }
        this.maxRecordBytes = bytes;
        return this;
    }

    /**
     * Reads the whole stream. Invalid JSON surfaces as Jackson's exception, whose
     * location names the line and column.
     */
    public Map<String, JsonNode> read(InputStream in, RecordSink sink) throws IOException {
        Map<String, JsonNode> topLevel = new LinkedHashMap<>();
        RecordBound bound = new RecordBound(in, maxRecordBytes);
        JsonParser p = mapper.createParser(bound);
        try (p) {
            // a field given twice ("qty": 10, then "qty": 20) is an error naming it, not a silent last-one-wins
            p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            JsonToken first = p.nextToken();
            int[] counter = {0};
            if (first == null) {
                // only whitespace: as empty as a 0-byte file, not a file of zero records (the bot writes at least [] or {})
                throw new BadFileException("the file holds no JSON value, only whitespace: nothing was read");
            }
            if (first == JsonToken.START_ARRAY) {
                readArray(p, bareArrayKind, "", sink, counter, bound);
            } else if (first == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    String kind = arrays.get(name);
                    if (kind != null && value == JsonToken.START_ARRAY) {
                        readArray(p, kind, name, sink, counter, bound);
                    } else if (kind != null && value != JsonToken.VALUE_NULL && !objectOfRecords) {
                        // "trades": {...} would otherwise be read as no trades at all
                        throw new BadFileException("\"" + name + "\" at line " + p.currentTokenLocation().getLineNr() + " must be a list of records, not "
                                + (value == JsonToken.START_OBJECT ? "an object" : "a single value") + "; nothing was loaded");
                    } else if (objectOfRecords) {
                        int line = p.currentTokenLocation().getLineNr();
                        bound.arm(name, counter[0] + 1, line);
                        JsonNode record = p.readValueAsTree();
                        bound.disarm();
                        sink.record(bareArrayKind, ++counter[0], name, line, record);
                    } else {
                        bound.arm("\"" + name + "\"", 0, p.currentTokenLocation().getLineNr());
                        topLevel.put(name, p.readValueAsTree());
                        bound.disarm();
                    }
                }
            } else {
                throw new BadFileException("the file is neither a JSON object nor an array (starts with " + first + ")");
            }
            if (p.nextToken() != null) {
                throw new BadFileException("unexpected content after the end of the JSON document at line "
                        + p.currentTokenLocation().getLineNr() + ", column " + p.currentTokenLocation().getColumnNr());
            }
        } catch (StreamConstraintsException e) {
            // Jackson's own bounds (nesting depth, number length, ...) say neither where nor in which record
            JsonLocation at = p.currentLocation();
            throw new BadFileException("invalid JSON at line " + at.getLineNr() + ", column " + at.getColumnNr()
                    + (bound.armedAt >= 0 ? " in " + bound.what() : "") + ": " + e.getOriginalMessage().replaceAll(", from `[^`]*`", "")
                    + "; nothing was loaded");
        }
        return topLevel;
    }

    private void readArray(JsonParser p, String kind, String name, RecordSink sink, int[] counter, RecordBound bound) throws IOException {
        int index = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            int line = p.currentTokenLocation().getLineNr();
            String path = name + "[" + index++ + "]";
            bound.arm(path, counter[0] + 1, line);
            JsonNode record = p.readValueAsTree();
            bound.disarm();
            sink.record(kind, ++counter[0], path, line, record);
        }
    }

    /**
     * Counts the bytes the parser takes while one record is being built and stops the read once
     * they pass the bound. The parser reads ahead by its buffer (a few kilobytes), so the bound is
     * met a little early or late; megabytes matter here, not bytes.
     */
    private static final class RecordBound extends FilterInputStream {
        private final long max;
        private long consumed;
        private long armedAt = -1;
        // the parts of the record's description: it is put together only for an error, never per record
        private String where;
        private int record;
        private int line;

        RecordBound(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        /** record 0: a top-level value, not a record. */
        void arm(String where, int record, int line) {
            this.where = where;
            this.record = record;
            this.line = line;
            this.armedAt = consumed;
        }

        String what() {
            return where + " (" + (record > 0 ? "record " + record + ", " : "") + "line " + line + ")";
        }

        void disarm() {
            armedAt = -1;
        }

        private void count(long n) throws BadFileException {
            if (n > 0) {
                consumed += n;
                if (armedAt >= 0 && consumed - armedAt > max) {
                    throw new BadFileException(what() + " is larger than " + max + " bytes (ferry.batch.max-record-bytes), far more than any bot "
                            + "record; the file was refused and nothing was loaded");
                }
            }
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count(n);
            return n;
        }
    }

    /** The file as a whole is unreadable for Ferry (not the shape a bot file has). */
    public static final class BadFileException extends IOException {
        public BadFileException(String message) {
            super(message);
        }
    }
}
