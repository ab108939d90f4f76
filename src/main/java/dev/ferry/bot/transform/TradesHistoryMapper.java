package dev.ferry.bot.transform;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.settings.MappingFile;

/**
 * trades_history.json records to order rows (formats.md §1), driven by
 * config/mappings/trades-history.properties. A trade becomes a buy order and,
 * when closed, a sell order; a failed_orders entry becomes a failed order.
 */
public final class TradesHistoryMapper implements RecordMapper {

    public static final String TRADE = "trade";
    public static final String FAILED = "failed_order";

    private final RecordFields fields;
    private final Values values;
    private final Map<String, String> statusMap;
    private final List<String[]> brokerIdPaths;
    private final Set<String> consumed;
    private final Set<String> failedConsumed;

    public TradesHistoryMapper(ObjectMapper json, Values values, MappingFile mapping) {
        this.fields = new RecordFields(json, mapping.get("order-type.default"));
        this.values = values;
        this.statusMap = mapping.section("status");
        this.brokerIdPaths = mapping.list("broker-order-id.paths").stream().map(p -> p.split("\\.")).toList();
        this.consumed = new HashSet<>(mapping.list("consumed-fields"));
        this.failedConsumed = new HashSet<>(mapping.list("failed.consumed-fields"));
    }

    @Override
    public StagedRecord map(String kind, int recordNo, String path, int line, ObjectNode record) throws BadValueException {
        return FAILED.equals(kind) ? failedOrder(recordNo, path, line, record) : trade(recordNo, path, line, record);
    }

    public StagedRecord trade(int recordNo, String path, int line, ObjectNode t) throws BadValueException {
        String symbol = values.symbol(t, "symbol", "ticker", "placed_symbol");
        BigDecimal qty = values.positive(t, "qty");
        BigDecimal entryPrice = values.number(t, "entry_price");
        Instant entryTime = values.time(t, "entry_time");
        String buyStatus = buyStatus(t);
        boolean closed = "closed".equals(buyStatus);
        BigDecimal exitPrice = null;
        Instant exitTime = null;
        if (closed) {
            exitPrice = values.number(t, "exit_price");
            exitTime = values.time(t, "exit_time");
        }
        String key = symbol + '|' + entryTime + '|' + Values.keyOf(entryPrice) + '|' + Values.keyOf(qty);
        String type = fields.orderType(t);
        String brokerId = brokerOrderId(t.get("order_response"));
        // the order_response belongs to the entry order: the broker id goes on the buy only
        OrderRow buy = new OrderRow("buy", type, qty, null, entryPrice, buyStatus, entryTime, entryTime, exitTime, null, brokerId, true);
        List<OrderRow> rows = closed
                ? List.of(buy, new OrderRow("sell", type, qty, null, exitPrice, "closed", exitTime, exitTime, exitTime, null, null, true))
                : List.of(buy);
        return StagedRecord.mapped(recordNo, path, line, TRADE, key, null, symbol, brokerId, fields.metadata(t, consumed), rows);
    }

    /** The placed time may be missing here: the loader falls back to the file's last_run. */
    public StagedRecord failedOrder(int recordNo, String path, int line, ObjectNode f) throws BadValueException {
        String symbol = values.symbol(f, "symbol", "ticker", "placed_symbol");
        BigDecimal qty = values.positive(f, "qty");
        Instant placedAt = values.optionalTime(f, "first_failed_at");
        String side = fields.side(f);
        String reason = Values.absent(f.get("reason")) ? "" : f.get("reason").asText();
        String key = symbol + '|' + side + '|' + (placedAt == null ? "-" : placedAt.toString()) + '|' + Values.keyOf(qty) + '|' + reason;
        // a failed order without its own time may still be rejected at the end of the file: keep its raw text for that
        String raw = placedAt == null ? f.toString() : null;
        String brokerId = brokerOrderId(f.get("order_response"));
        OrderRow order = new OrderRow(side, fields.orderType(f), qty, null, null, "failed", placedAt, null, null, null, brokerId, false);
        return StagedRecord.mapped(recordNo, path, line, FAILED, key, raw, symbol, brokerId, fields.metadata(f, failedConsumed), List.of(order));
    }

    private String buyStatus(ObjectNode t) throws BadValueException {
        JsonNode s = t.get("status");
        if (Values.absent(s)) {
            return Values.absent(t.get("exit_time")) ? statusMap.get("open") : statusMap.get("closed");
        }
        return RecordFields.mapped(t, "status", statusMap);
    }

    private String brokerOrderId(JsonNode response) throws BadValueException {
        if (response == null || !response.isObject()) {
            return null;
        }
        for (String[] path : brokerIdPaths) {
            JsonNode n = response;
            for (String step : path) {
                n = n == null ? null : n.get(step);
            }
            if (!Values.absent(n)) {
                String field = "order_response." + String.join(".", path);
                // a list or object where the broker's id belongs is a broken response, not an order without one
                if (!n.isTextual() && !n.isIntegralNumber()) {
                    throw new BadValueException(field, field + " is not an id (text or a whole number): " + n);
                }
                return Values.id(n.asText(), field);
            }
        }
        return null;
    }
}
