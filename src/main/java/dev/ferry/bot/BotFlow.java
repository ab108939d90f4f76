package dev.ferry.bot;

import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.bot.read.BotJsonReader;
import dev.ferry.bot.transform.RecordMapper;

/**
 * One kind of bot file: its name (the flow, and the file-name prefix in the inbox),
 * where its records sit in the JSON, how a record maps to rows, and the orders'
 * orig_source.
 *
 * @param arrays          top-level array name to record kind
 * @param bareArrayKind   record kind when the file is a bare JSON array (or an object of records)
 * @param objectOfRecords the file is an object whose values are the records (holdings.json)
 */
public record BotFlow(String name, Map<String, String> arrays, String bareArrayKind, RecordMapper mapper, String origSource,
                      boolean objectOfRecords) {

    public BotFlow(String name, Map<String, String> arrays, String bareArrayKind, RecordMapper mapper, String origSource) {
        this(name, arrays, bareArrayKind, mapper, origSource, false);
    }

    /** A streaming reader of this kind of file. */
    public BotJsonReader reader(ObjectMapper json) {
        return new BotJsonReader(json, arrays, bareArrayKind, objectOfRecords);
    }
}
