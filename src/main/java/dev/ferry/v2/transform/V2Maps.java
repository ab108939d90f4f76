package dev.ferry.v2.transform;

import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;

import dev.ferry.settings.MappingFile;

/** The value maps of config/mappings/v2.properties: v2 values (any case) to v3 enum labels. */
public record V2Maps(String exchange, String orderType, ZoneId sourceZone, Map<String, String> sides, Map<String, String> statuses,
                     Map<String, String> signalTypes, String signalStrategyDefault, String closedStatus) {

    public static final String FILE = "v2.properties";

    public static V2Maps of(MappingFile m) {
        return new V2Maps(m.get("exchange"), m.get("order-type"), ZoneId.of(m.get("source-zone")), m.section("side"),
                m.section("status"), m.section("signal-type"), m.get("signal.strategy-default"), m.get("closed-status"));
    }

    static String lookup(Map<String, String> map, Object v2) {
        return v2 == null ? null : map.get(v2.toString().strip().toLowerCase(Locale.ROOT));
    }
}
