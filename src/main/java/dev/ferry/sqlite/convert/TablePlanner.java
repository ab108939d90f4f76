package dev.ferry.sqlite.convert;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.ferry.sqlite.read.SourceColumn;
import dev.ferry.sqlite.read.SourceIndex;
import dev.ferry.sqlite.read.SourceTable;
import dev.ferry.sqlite.write.TargetCatalog;
import dev.ferry.sqlite.write.TargetNames;

/**
 * Decides each column's fate: a new table takes its types from the cast rules; an
 * existing one keeps its own types, and the values are converted to those.
 */
public final class TablePlanner {

    private final CastRules rules;
    private final MigrationMapping mapping;

    public TablePlanner(CastRules rules, MigrationMapping mapping) {
        this.rules = rules;
        this.mapping = mapping;
    }

    public TablePlan plan(Connection pg, SourceTable t, String schema) throws SQLException {
        String table = TargetNames.fit(t.name());
        Optional<TargetCatalog.Table> existing = pg == null ? Optional.empty() : TargetCatalog.describe(pg, schema, table);
        List<ColumnPlan> cols = new ArrayList<>();
        for (int i = 0; i < t.columns().size(); i++) {
            SourceColumn sc = t.columns().get(i);
            CastRules.Decision d = rules.decide(t.name(), sc.name(), sc.declaredType());
            String target = TargetNames.fit(mapping.targetName(t.name(), sc.name()));
            String fill = mapping.fill(t.name(), sc.name());
            if (existing.isEmpty()) {
                cols.add(new ColumnPlan(sc.name(), i, target, d.targetType(), d.kind(), d.transform(), fill, sc.notNull() || sc.pkPosition() > 0,
                        d.rule()));
                continue;
            }
            TargetCatalog.Column tc = existing.get().column(target).orElseThrow(() -> new IllegalStateException("target table "
                    + schema + "." + table + " has no column " + target + " for source column " + t.name() + "." + sc.name()));
            TargetKind kind = TargetKind.of(tc.type());
            Transform tr = kind == d.kind() ? d.transform() : Transform.defaultFor(kind);
            cols.add(new ColumnPlan(sc.name(), i, tc.name(), tc.type(), kind, tr, fill, tc.notNull(), "existing column"));
        }
        List<String> key;
        if (existing.isPresent()) {
            key = existing.get().key();
        } else if (!t.primaryKey().isEmpty()) {
            key = targetNames(t, t.primaryKey());
        } else {
            key = t.indexes().stream().filter(SourceIndex::unique).findFirst().map(ix -> targetNames(t, ix.columns())).orElse(List.of());
        }
        return new TablePlan(t, schema, table, cols, existing.isPresent(), key);
    }

    public List<String> targetNames(SourceTable t, List<String> sourceColumns) {
        List<String> out = new ArrayList<>();
        for (String c : sourceColumns) {
            out.add(TargetNames.fit(mapping.targetName(t.name(), t.column(c).name())));
        }
        return out;
    }

    public MigrationMapping mapping() {
        return mapping;
    }
}
