package dev.ferry.sqlite.validate;

import java.util.ArrayList;
import java.util.List;

/** Source against target, per table: counts, order-independent checksums, foreign-key orphans, first differing rows. */
public final class ValidationResult {

    public static final class TableCheck {
        public String table;
        public String target;
        public long sourceRows;
        public long targetRows;
        public String sourceChecksum;
        public String targetChecksum;
        public long orphanRows;
        public final List<String> foreignKeyProblems = new ArrayList<>();
        public final List<String> onlyInSource = new ArrayList<>();
        public final List<String> onlyInTarget = new ArrayList<>();
        public String error;

        public boolean ok() {
            return error == null && sourceRows == targetRows && sourceChecksum != null && sourceChecksum.equals(targetChecksum)
                    && orphanRows == 0;
        }

        public String getTable() { return table; }
        public String getTarget() { return target; }
        public long getSourceRows() { return sourceRows; }
        public long getTargetRows() { return targetRows; }
        public String getSourceChecksum() { return sourceChecksum; }
        public String getTargetChecksum() { return targetChecksum; }
        public long getOrphanRows() { return orphanRows; }
        public List<String> getForeignKeyProblems() { return foreignKeyProblems; }
        public List<String> getOnlyInSource() { return onlyInSource; }
        public List<String> getOnlyInTarget() { return onlyInTarget; }
        public String getError() { return error; }
        public boolean isOk() { return ok(); }
    }

    private final List<TableCheck> tables = new ArrayList<>();
    private double seconds;

    public List<TableCheck> getTables() { return tables; }
    public boolean isOk() { return tables.stream().allMatch(TableCheck::ok); }
    public double getSeconds() { return seconds; }
    public void setSeconds(double seconds) { this.seconds = seconds; }
}
