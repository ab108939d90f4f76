package dev.ferry.bench.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** How a trial's rows are told apart from the clean run's: lost, duplicated, altered, per table. */
class CompareTest {

    private static Outcome rows(Map<String, Long> multiset) {
        return new Outcome(Map.of("t", multiset.values().stream().mapToLong(Long::longValue).sum()), Map.of("t", TargetRows.digest(multiset)),
                0, 0, 0, 0, 0, Map.of("t", multiset));
    }

    private final Outcome reference = rows(Map.of("a", 1L, "b", 1L, "c", 1L, "d", 1L));

    @Test
    void theSameRowsInAnyOrderDifferInNothing() {
        assertThat(ReliabilitySuite.compare(reference, rows(Map.of("d", 1L, "c", 1L, "b", 1L, "a", 1L))).none()).isTrue();
    }

    @Test
    void aMissingRowIsLostARowTwiceIsDuplicatedAChangedRowIsAltered() {
        ReliabilitySuite.Diff lost = ReliabilitySuite.compare(reference, rows(Map.of("a", 1L, "b", 1L, "c", 1L)));
        assertThat(lost).extracting(ReliabilitySuite.Diff::lost, ReliabilitySuite.Diff::duplicated, ReliabilitySuite.Diff::altered)
                .containsExactly(1L, 0L, 0L);

        ReliabilitySuite.Diff dup = ReliabilitySuite.compare(reference, rows(Map.of("a", 3L, "b", 1L, "c", 1L, "d", 1L)));
        assertThat(dup).extracting(ReliabilitySuite.Diff::lost, ReliabilitySuite.Diff::duplicated, ReliabilitySuite.Diff::altered)
                .containsExactly(0L, 2L, 0L);

        // same count: "d" became "x"
        ReliabilitySuite.Diff altered = ReliabilitySuite.compare(reference, rows(Map.of("a", 1L, "b", 1L, "c", 1L, "x", 1L)));
        assertThat(altered).extracting(ReliabilitySuite.Diff::lost, ReliabilitySuite.Diff::duplicated, ReliabilitySuite.Diff::altered)
                .containsExactly(0L, 0L, 1L);
        assertThat(altered.tables()).containsExactly("t (0 lost, 0 duplicated, 1 altered)");
    }

    @Test
    void withoutMultisetsCountsAndTheDigestStillTell() {
        Outcome ref = new Outcome(Map.of("t", 10L), Map.of("t", "d1"), 10, 10, 0, 0, 0);
        assertThat(ReliabilitySuite.compare(ref, new Outcome(Map.of("t", 8L), Map.of("t", "d2"), 8, 8, 0, 0, 0)).lost()).isEqualTo(2);
        assertThat(ReliabilitySuite.compare(ref, new Outcome(Map.of("t", 12L), Map.of("t", "d2"), 12, 12, 0, 0, 0)).duplicated()).isEqualTo(2);
        assertThat(ReliabilitySuite.compare(ref, new Outcome(Map.of("t", 10L), Map.of("t", "d2"), 10, 10, 0, 0, 0)).altered()).isEqualTo(1);
        assertThat(ReliabilitySuite.compare(ref, new Outcome(Map.of("t", 10L), Map.of("t", "d1"), 10, 10, 0, 0, 0)).none()).isTrue();
    }

    @Test
    void aTableMissingAfterTheTrialIsAllItsRowsLost() {
        Outcome ref = new Outcome(Map.of("t", 3L), Map.of("t", "d"), 3, 3, 0, 0, 0);
        assertThat(ReliabilitySuite.compare(ref, new Outcome(Map.of(), Map.of(), 0, 0, 0, 0, 0)).lost()).isEqualTo(3);
    }
}
