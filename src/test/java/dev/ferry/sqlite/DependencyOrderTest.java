package dev.ferry.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.ferry.sqlite.read.SourceForeignKey;
import dev.ferry.sqlite.read.SourceTable;
import org.junit.jupiter.api.Test;

/** Load order from foreign keys: parents first, independent tables free, cycles named with their tables. */
class DependencyOrderTest {

    private static SourceTable table(String name, String... parents) {
        List<SourceForeignKey> fks = java.util.Arrays.stream(parents).map(p -> new SourceForeignKey(List.of("x"), p, List.of())).toList();
        return new SourceTable(name, false, true, List.of(), List.of(), List.of(), fks, List.of());
    }

    @Test
    void aThreeLevelChainLoadsParentsFirstWhateverTheFileOrder() {
        DependencyOrder o = new DependencyOrder(List.of(table("fills", "orders"), table("orders", "users"), table("users"),
                table("prices")));
        assertThat(o.order()).containsExactly("users", "prices", "orders", "fills");
        assertThat(o.effectiveParents("fills")).containsExactly("orders");
        assertThat(o.effectiveParents("prices")).isEmpty();
        assertThat(o.cycles()).isEmpty();
    }

    @Test
    void aCycleIsReportedWithItsTablesAndStillLoads() {
        DependencyOrder o = new DependencyOrder(List.of(table("a", "c"), table("b", "a"), table("c", "b"), table("d", "a"),
                table("self", "self")));
        assertThat(o.cycles()).containsExactly(List.of("a", "b", "c"));
        assertThat(o.order()).containsExactly("a", "b", "c", "d", "self");
        assertThat(o.effectiveParents("self")).isEmpty();
    }
}
