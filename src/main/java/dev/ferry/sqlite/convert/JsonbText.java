package dev.ferry.sqlite.convert;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * JSON text checked with Jackson and written the way PostgreSQL prints a jsonb value
 * (keys by length then bytes, last duplicate wins, ", " and ": "), so the text Ferry
 * sends, the text jsonb gives back, and the checksums of both are the same.
 */
public final class JsonbText {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            // keep 2.50 as 2.50: jsonb keeps a number's scale, and so must the checksum
            .nodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private JsonbText() {
    }

    public static String canonical(String column, String text) throws CastException {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CastException(column, text, "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new CastException(column, text, "not valid JSON: " + e.getMessage());
        }
        if (node == null || node.isMissingNode()) {
            throw new CastException(column, text, "not valid JSON: empty");
        }
        StringBuilder sb = new StringBuilder(text.length());
        write(column, text, node, sb);
        return sb.toString();
    }

    private static void write(String column, String raw, JsonNode n, StringBuilder sb) throws CastException {
        if (n.isObject()) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                fields.add(it.next());
            }
            fields.sort((a, b) -> compareKeys(a.getKey(), b.getKey()));
            sb.append('{');
            for (int i = 0; i < fields.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                string(column, raw, fields.get(i).getKey(), sb);
                sb.append(": ");
                write(column, raw, fields.get(i).getValue(), sb);
            }
            sb.append('}');
        } else if (n.isArray()) {
            sb.append('[');
            for (int i = 0; i < n.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                write(column, raw, n.get(i), sb);
            }
            sb.append(']');
        } else if (n.isTextual()) {
            string(column, raw, n.textValue(), sb);
        } else if (n.isNumber()) {
            BigDecimal d = n.decimalValue();
            sb.append(d.signum() == 0 && d.scale() <= 0 ? "0" : d.toPlainString());
        } else if (n.isBoolean()) {
            sb.append(n.booleanValue());
        } else {
            sb.append("null");
        }
    }

    private static int compareKeys(String a, String b) {
        byte[] x = a.getBytes(StandardCharsets.UTF_8);
        byte[] y = b.getBytes(StandardCharsets.UTF_8);
        if (x.length != y.length) {
            return Integer.compare(x.length, y.length);
        }
        return java.util.Arrays.compareUnsigned(x, y);
    }

    private static void string(String column, String raw, String s, StringBuilder sb) throws CastException {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c == 0) {
                        throw new CastException(column, raw, "JSON holds \\u0000, which jsonb cannot store");
                    }
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
