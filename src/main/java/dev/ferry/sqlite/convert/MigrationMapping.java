package dev.ferry.sqlite.convert;

import java.util.Map;
import java.util.Optional;

import dev.ferry.settings.MappingFile;

/**
 * config/mappings/sqlite.properties: column renames ({@code rename.TABLE.COLUMN=NEW}),
 * fill-ins for NULLs ({@code fill.TABLE.COLUMN=VALUE}) and the column an incremental
 * sync follows per table ({@code watermark.TABLE=COLUMN}; rowid when none).
 */
public final class MigrationMapping {

    private final Map<String, String> renames;
    private final Map<String, String> fills;
    private final Map<String, String> watermarks;

    public MigrationMapping(Map<String, String> renames, Map<String, String> fills, Map<String, String> watermarks) {
        this.renames = renames;
        this.fills = fills;
        this.watermarks = watermarks;
    }

    public static MigrationMapping of(MappingFile file) {
        return new MigrationMapping(file.section("rename"), file.section("fill"), file.section("watermark"));
    }

    public String targetName(String table, String column) {
        return renames.getOrDefault(key(table, column), column);
    }

    public String fill(String table, String column) {
        return fills.get(key(table, column));
    }

    public Optional<String> watermark(String table) {
        return Optional.ofNullable(watermarks.get(table.toLowerCase(java.util.Locale.ROOT)));
    }

    private static String key(String table, String column) {
        return (table + "." + column).toLowerCase(java.util.Locale.ROOT);
    }
}
