package dev.ferry.bot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.bot.transform.BadValueException;
import dev.ferry.bot.transform.StagedRecord;

/**
 * One source record through its flow's mapper, or rejected with field and reason. The
 * import and the validation both stage records here, so validation expects exactly what
 * an import writes.
 */
public final class RecordStager {

    private final ObjectMapper json;

    public RecordStager(ObjectMapper json) {
        this.json = json;
    }

    public StagedRecord stage(BotFlow flow, String kind, int no, String path, int line, JsonNode node) {
        if (!(node instanceof ObjectNode record)) {
            return StagedRecord.rejected(no, path, line, kind, null, "record is not a JSON object", jsonText(node));
        }
        try {
            StagedRecord s = flow.mapper().map(kind, no, path, line, record);
            String nul = nulField(s);
            return nul == null ? s
                    : StagedRecord.rejected(no, path, line, kind, nul, nul + " contains a NUL character (\\u0000), which PostgreSQL cannot store", jsonText(node));
        } catch (BadValueException e) {
            return StagedRecord.rejected(no, path, line, kind, e.field(), e.getMessage(), jsonText(node));
        }
    }

    /** The first field holding a NUL character, or null: one such value would fail the whole COPY, not just its record. */
    private static String nulField(StagedRecord s) {
        if (s.metadata() != null && s.metadata().contains("\\u0000")) {
            return "metadata";
        }
        if (s.symbol() != null && s.symbol().indexOf(0) >= 0) {
            return "symbol";
        }
        for (var o : s.orders()) {
            for (String v : new String[] {o.orderType(), o.orderId(), o.brokerOrderId()}) {
                if (v != null && v.indexOf(0) >= 0) {
                    return v == o.orderType() ? "order_type" : v == o.orderId() ? "order_id" : "order_response";
                }
            }
        }
        return null;
    }

    private String jsonText(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            return String.valueOf(node);
        }
    }
}
