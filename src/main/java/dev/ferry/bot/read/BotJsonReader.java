package dev.ferry.bot.read;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
     * Reads the whole stream. Invalid JSON surfaces as Jackson's exception, whose
     * location names the line and column.
     */
    public Map<String, JsonNode> read(InputStream in, RecordSink sink) throws IOException {
        Map<String, JsonNode> topLevel = new LinkedHashMap<>();
        try (JsonParser p = mapper.createParser(in)) {
            // a field given twice ("qty": 10, then "qty": 20) is an error naming it, not a silent last-one-wins
            p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            JsonToken first = p.nextToken();
            int[] counter = {0};
            if (first == null) {
                return topLevel; // an empty file holds no records
            }
            if (first == JsonToken.START_ARRAY) {
                readArray(p, bareArrayKind, "", sink, counter);
            } else if (first == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    String kind = arrays.get(name);
                    if (kind != null && value == JsonToken.START_ARRAY) {
                        readArray(p, kind, name, sink, counter);
                    } else if (kind != null && value != JsonToken.VALUE_NULL && !objectOfRecords) {
                        // "trades": {...} would otherwise be read as no trades at all
                        throw new BadFileException("\"" + name + "\" at line " + p.currentTokenLocation().getLineNr() + " must be a list of records, not "
                                + (value == JsonToken.START_OBJECT ? "an object" : "a single value") + "; nothing was loaded");
                    } else if (objectOfRecords) {
                        int line = p.currentTokenLocation().getLineNr();
                        sink.record(bareArrayKind, ++counter[0], name, line, p.readValueAsTree());
                    } else {
                        topLevel.put(name, p.readValueAsTree());
                    }
                }
            } else {
                throw new BadFileException("the file is neither a JSON object nor an array (starts with " + first + ")");
            }
            if (p.nextToken() != null) {
                throw new BadFileException("unexpected content after the end of the JSON document at line "
                        + p.currentTokenLocation().getLineNr() + ", column " + p.currentTokenLocation().getColumnNr());
            }
        }
        return topLevel;
    }

    private void readArray(JsonParser p, String kind, String name, RecordSink sink, int[] counter) throws IOException {
        int index = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            int line = p.currentTokenLocation().getLineNr();
            JsonNode record = p.readValueAsTree();
            sink.record(kind, ++counter[0], name + "[" + index++ + "]", line, record);
        }
    }

    /** The file as a whole is unreadable for Ferry (not the shape a bot file has). */
    public static final class BadFileException extends IOException {
        public BadFileException(String message) {
            super(message);
        }
    }
}
