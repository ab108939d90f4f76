package dev.ferry.bot.transform;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.settings.MappingFile;

/**
 * pending_orders.json records to orders (formats.md §1), driven by
 * config/mappings/pending-orders.properties. The dedup key is the broker order id,
 * shared with every other source: an order that came in through trades_history
 * with the same broker id is a duplicate here.
 */
public final class PendingOrdersMapper extends StatusMappedOrdersMapper {

    /** The key kind every source uses for broker order ids. */
    public static final String BROKER_ORDER = "broker_order";

    public PendingOrdersMapper(ObjectMapper json, Values values, MappingFile mapping) {
        super(json, values, mapping);
    }

    @Override
    public StagedRecord map(String kind, int recordNo, String path, int line, ObjectNode o) throws BadValueException {
        String brokerId = RecordFields.requiredId(o, "order_id");
        String symbol = values.symbol(o, "symbol", "ticker");
        BigDecimal qty = values.positive(o, "qty");
        BigDecimal price = values.limitPrice(o, "price");
        Instant placedAt = values.time(o, "placed_at");
        String status = RecordFields.mapped(o, "status", statusMap);
        OrderRow order = new OrderRow(fields.side(o), fields.orderType(o), qty, price, null, status, placedAt, null, null, null, brokerId, false);
        return StagedRecord.mapped(recordNo, path, line, BROKER_ORDER, brokerId, null, symbol, brokerId, fields.metadata(o, consumed),
                List.of(order));
    }
}
