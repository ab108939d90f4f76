package dev.ferry.bot.transform;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.settings.MappingFile;

/**
 * paper_trading/holdings.json entries to open positions (formats.md §1). Both
 * spellings are read: average_price or avg_price, pnl or unrealized_pnl. The entry's
 * name in the file is its symbol when the entry has none.
 */
public final class HoldingsMapper implements RecordMapper {

    public static final String HOLDING = "holding";

    private final Values values;
    private final RecordFields fields;
    private final Set<String> consumed;

    public HoldingsMapper(ObjectMapper json, Values values, MappingFile mapping) {
        this.values = values;
        this.fields = new RecordFields(json, "market");
        this.consumed = new HashSet<>(mapping.list("consumed-fields"));
    }

    @Override
    public StagedRecord map(String kind, int recordNo, String path, int line, ObjectNode h) throws BadValueException {
        if (Values.absent(h.get("symbol")) && !path.startsWith("[")) {
            h.put("symbol", path); // the entry's name: {"RELIANCE": {...}}
        }
        String symbol = values.symbol(h, "symbol", "ticker");
        BigDecimal qty = values.positive(h, "quantity");
        BigDecimal avg = values.number(h, Values.absent(h.get("average_price")) && !Values.absent(h.get("avg_price")) ? "avg_price" : "average_price");
        BigDecimal pnl = values.optionalNumber(h, Values.absent(h.get("pnl")) ? "unrealized_pnl" : "pnl");
        Instant updated = values.optionalTime(h, "last_updated");
        String key = symbol + '|' + (updated == null ? "-" : updated) + '|' + Values.keyOf(qty) + '|' + Values.keyOf(avg)
                + '|' + (pnl == null ? "-" : Values.keyOf(pnl));
        return StagedRecord.position(recordNo, path, line, HOLDING, key, symbol, fields.metadata(h, consumed),
                new PositionRow(qty, avg, pnl == null ? BigDecimal.ZERO : pnl, updated));
    }
}
