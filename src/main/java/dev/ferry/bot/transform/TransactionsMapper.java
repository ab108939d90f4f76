package dev.ferry.bot.transform;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.settings.MappingFile;

/**
 * paper_trading/transactions.json records to fills of paper orders (formats.md §1).
 * Which order a fill belongs to is settled in the database, where the orders are.
 */
public final class TransactionsMapper implements RecordMapper {

    public static final String TRANSACTION = "transaction";

    private final Values values;
    private final RecordFields fields;
    private final Set<String> consumed;

    public TransactionsMapper(ObjectMapper json, Values values, MappingFile mapping) {
        this.values = values;
        this.fields = new RecordFields(json, "market");
        this.consumed = new HashSet<>(mapping.list("consumed-fields"));
    }

    @Override
    public StagedRecord map(String kind, int recordNo, String path, int line, ObjectNode t) throws BadValueException {
        String orderRef = RecordFields.optionalId(t, "order_id");
        String symbol = values.symbol(t, "symbol", "ticker");
        String side = fields.side(t);
        BigDecimal qty = values.positive(t, "quantity");
        BigDecimal price = values.number(t, "price");
        BigDecimal value = values.optionalNumber(t, "order_value");
        BigDecimal charges = values.optionalNumber(t, "charges");
        Instant at = values.time(t, "timestamp");
        String key = (orderRef == null ? "-" : orderRef) + '|' + symbol + '|' + side + '|' + at + '|' + Values.keyOf(qty) + '|' + Values.keyOf(price);
        FillRow fill = new FillRow(orderRef, side, qty, price, value == null ? qty.multiply(price) : value,
                charges == null ? BigDecimal.ZERO : charges, at);
        // kept in full: a transaction that matches no order is rejected after the file is read
        return StagedRecord.fill(recordNo, path, line, TRANSACTION, key, t.toString(), symbol, fields.metadata(t, consumed), fill);
    }
}
