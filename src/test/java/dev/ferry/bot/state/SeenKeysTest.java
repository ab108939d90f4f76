package dev.ferry.bot.state;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The in-memory dedup set: exact answers across growth, kinds kept apart. */
class SeenKeysTest {

    @Test
    void remembersEveryKeyThroughGrowthAndKeepsKindsApart() {
        SeenKeys keys = new SeenKeys();
        for (int i = 0; i < 300_000; i++) {
            assertThat(keys.add("trade", "SYM|" + i)).isTrue();
        }
        for (int i = 0; i < 300_000; i += 7) {
            assertThat(keys.add("trade", "SYM|" + i)).as("key %d again", i).isFalse();
        }
        assertThat(keys.add("broker_order", "SYM|1")).as("same text, other kind").isTrue();
        assertThat(keys.size()).isEqualTo(300_001);
    }
}
