package dev.ferry.bot.transform;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.settings.MappingFile;

/**
 * paper_trading/orders.json records to orders (formats.md §1), driven by
 * config/mappings/paper-orders.properties. Both spellings of older files are read
 * (side for transaction_type, timestamp for placed_at). The fills of paper orders
 * come from transactions.json, not from here.
 */
public final class PaperOrdersMapper extends StatusMappedOrdersMapper {

    public static final String PAPER_ORDER = "paper_order";

    public PaperOrdersMapper(ObjectMapper json, Values values, MappingFile mapping) {
        super(json, values, mapping);
    }

    @Override
    public StagedRecord map(String kind, int recordNo, String path, int line, ObjectNode o) throws BadValueException {
        String orderId = RecordFields.requiredId(o, "order_id");
        String symbol = values.symbol(o, "symbol", "ticker");
        BigDecimal qty = values.positive(o, "quantity");
        BigDecimal price = values.limitPrice(o, "price");
        Instant placedAt = values.time(o, Values.absent(o.get("placed_at")) && !Values.absent(o.get("timestamp")) ? "timestamp" : "placed_at");
        String status = RecordFields.mapped(o, "status", statusMap);
        BigDecimal executedPrice = values.optionalNumber(o, "executed_price");
        Instant executedAt = values.optionalTime(o, "executed_at");
        // an executed paper order closes when it executes
        Instant closedAt = "closed".equals(status) ? executedAt : null;
        OrderRow order = new OrderRow(fields.side(o), fields.orderType(o), qty, price, executedPrice, status, placedAt, executedAt,
                closedAt, orderId, null, false);
        return StagedRecord.mapped(recordNo, path, line, PAPER_ORDER, orderId, null, symbol, null, fields.metadata(o, consumed),
                List.of(order));
    }
}
