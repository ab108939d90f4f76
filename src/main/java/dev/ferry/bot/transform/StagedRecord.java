package dev.ferry.bot.transform;

import java.util.List;

/**
 * One source record on its way to the database: either mapped (its dedup key and the
 * order rows, the open position or the fill it becomes) or rejected (field and reason, with the raw
 * record).
 * brokerOrderId, when the record carries one, is also a dedup key shared by every source.
 */
public record StagedRecord(
        int recordNo, String path, int line, String kind, String dedupKey,
        String rejectField, String rejectReason, String raw,
        String symbol, String brokerOrderId, String metadata, List<OrderRow> orders, PositionRow position, FillRow fill) {

    public static StagedRecord rejected(int recordNo, String path, int line, String kind, String field, String reason, String raw) {
        return new StagedRecord(recordNo, path, line, kind, null, field, reason, raw, null, null, null, List.of(), null, null);
    }

    public static StagedRecord mapped(int recordNo, String path, int line, String kind, String dedupKey, String raw,
                                      String symbol, String brokerOrderId, String metadata, List<OrderRow> orders) {
        return new StagedRecord(recordNo, path, line, kind, dedupKey, null, null, raw, symbol, brokerOrderId, metadata, orders, null, null);
    }

    public static StagedRecord position(int recordNo, String path, int line, String kind, String dedupKey, String symbol,
                                        String metadata, PositionRow position) {
        return new StagedRecord(recordNo, path, line, kind, dedupKey, null, null, null, symbol, null, metadata, List.of(), position, null);
    }

    public static StagedRecord fill(int recordNo, String path, int line, String kind, String dedupKey, String raw, String symbol,
                                    String metadata, FillRow fill) {
        return new StagedRecord(recordNo, path, line, kind, dedupKey, null, null, raw, symbol, null, metadata, List.of(), null, fill);
    }

    public boolean isRejected() {
        return rejectReason != null;
    }

    /** A failed order without its own time waits for the file's last_run. */
    public boolean waitsForLastRun() {
        return orders.stream().anyMatch(o -> o.placedAt() == null);
    }
}
