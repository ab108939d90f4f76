package dev.ferry.bot.transform;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Field rules every bot file shares: sides, order types, enumerations, metadata. */
public final class RecordFields {

    private final ObjectMapper json;
    private final String defaultOrderType;

    public RecordFields(ObjectMapper json, String defaultOrderType) {
        this.json = json;
        this.defaultOrderType = defaultOrderType;
    }

    /** buy or sell from side / transaction_type (B, BUY, S, SELL in any case); absent means buy. */
    public String side(ObjectNode r) throws BadValueException {
        for (String f : new String[] {"side", "transaction_type"}) {
            JsonNode n = r.get(f);
            if (!Values.absent(n)) {
                String v = word(n, f).toUpperCase(Locale.ROOT);
                if (v.equals("B") || v.equals("BUY")) {
                    return "buy";
                }
                if (v.equals("S") || v.equals("SELL")) {
                    return "sell";
                }
                throw new BadValueException(f, "unknown side '" + n.asText() + "'");
            }
        }
        return "buy";
    }

    /** The record's order_type in lower case, or the configured default. */
    public String orderType(ObjectNode r) throws BadValueException {
        JsonNode t = r.get("order_type");
        return Values.absent(t) ? defaultOrderType : word(t, "order_type").toLowerCase(Locale.ROOT);
    }

    /**
     * A word-like value (an enumeration's name): text, or a number written bare. A list, an object
     * or true would read as "" or "true" and land in a column as if the record had said so.
     */
    private static String word(JsonNode n, String field) throws BadValueException {
        if (!n.isTextual() && !n.isNumber()) {
            throw new BadValueException(field, field + " is not text: " + shorten(n.toString()));
        }
        return n.asText().strip();
    }

    /** A required identifier (text or number), stripped. */
    public static String requiredId(ObjectNode r, String field) throws BadValueException {
        JsonNode id = r.get(field);
        if (Values.absent(id)) {
            throw new BadValueException(field, "missing " + field);
        }
        return optionalId(r, field);
    }

    /** An identifier (text or a whole number), stripped; null when absent. */
    public static String optionalId(ObjectNode r, String field) throws BadValueException {
        JsonNode id = r.get(field);
        if (Values.absent(id)) {
            return null;
        }
        if (!id.isTextual() && !id.isIntegralNumber()) {
            throw new BadValueException(field, field + " is not an id (text or a whole number): " + shorten(id.toString()));
        }
        return Values.id(id.asText().strip(), field);
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    /** A required enumeration, matched case-insensitively through a mapping section. */
    public static String mapped(ObjectNode r, String field, Map<String, String> map) throws BadValueException {
        JsonNode n = r.get(field);
        if (Values.absent(n)) {
            throw new BadValueException(field, "missing " + field);
        }
        String v = map.get(word(n, field).toLowerCase(Locale.ROOT));
        if (v == null) {
            throw new BadValueException(field, "unknown " + field + " '" + n.asText() + "' (known: " + String.join(", ", map.keySet()) + ")");
        }
        return v;
    }

    /** The record without the fields that have columns of their own, verbatim, as JSON text. */
    public String metadata(ObjectNode r, Set<String> drop) {
        ObjectNode meta = json.createObjectNode();
        r.properties().forEach(e -> {
            if (!drop.contains(e.getKey())) {
                meta.set(e.getKey(), e.getValue());
            }
        });
        try {
            return json.writeValueAsString(meta);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
