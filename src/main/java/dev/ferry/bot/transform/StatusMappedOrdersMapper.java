package dev.ferry.bot.transform;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.settings.MappingFile;

/**
 * What the order files with a broker status share: a status map, a default order type
 * and the fields that have columns of their own, all read from one mapping file.
 */
abstract class StatusMappedOrdersMapper implements RecordMapper {

    protected final Values values;
    protected final RecordFields fields;
    protected final Map<String, String> statusMap;
    protected final Set<String> consumed;

    protected StatusMappedOrdersMapper(ObjectMapper json, Values values, MappingFile mapping) {
        this.values = values;
        this.fields = new RecordFields(json, mapping.get("order-type.default"));
        this.statusMap = mapping.section("status");
        this.consumed = new HashSet<>(mapping.list("consumed-fields"));
    }
}
