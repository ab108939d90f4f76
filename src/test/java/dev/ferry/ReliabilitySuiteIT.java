package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.ferry.bench.reliability.Fault;
import dev.ferry.bench.reliability.ReliabilityFlow;
import dev.ferry.bench.reliability.ReliabilitySuite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The reliability suite's short version, as CI runs it: one trial of every fault in every registered flow
 * (the packaged jar as child processes, on the suite's own PostgreSQL cluster), then every cell must have
 * run, lost, duplicated and altered nothing, added up its counts and left no run 'running'. The unreachable
 * PostgreSQL stalls for 5 s here instead of the full version's 30 s: the same code path (sockets open,
 * nothing forwarded), a sixth of the wait. The seed is new each time and printed, so CI covers other
 * kill points run after run and a failure can be rerun.
 */
class ReliabilitySuiteIT {

    @Test
    @Timeout(value = 45, unit = TimeUnit.MINUTES)
    void everyFlowComesThroughEveryFaultWithNothingLostDuplicatedOrAltered() throws Exception {
        Path work = Files.createTempDirectory("ferry-reliability-it-");
        ReliabilitySuite.Options defaults = ReliabilitySuite.Options.defaults();
        ReliabilitySuite.Options options = new ReliabilitySuite.Options(1, Set.of(), Set.of(), defaults.seed(), Duration.ofSeconds(5), work, 0);

        ReliabilitySuite.Result result = new ReliabilitySuite(ReliabilitySuite.flows(), options).run();

        int expectedCells = 0;
        for (ReliabilityFlow flow : ReliabilitySuite.flows()) {
            expectedCells += (int) flow.faults().stream().filter(f -> f != Fault.NONE).count();
        }
        assertThat(result.cells()).as("one cell per flow and fault:\n" + result.table()).hasSize(expectedCells);
        for (ReliabilitySuite.Cell c : result.cells()) {
            String cell = c.flow() + " × " + c.fault() + " (seed " + result.seed() + ")\n" + result.table();
            assertThat(c.notRun()).as("why " + cell + " could not run").isNull();
            assertThat(c.trials()).as("trials of " + cell).isEqualTo(1);
            assertThat(c.lost()).as("rows lost in " + cell).isZero();
            assertThat(c.duplicated()).as("rows duplicated in " + cell).isZero();
            assertThat(c.altered()).as("rows altered in " + cell).isZero();
            assertThat(c.balanced()).as("trials whose read = loaded + duplicates + rejected in " + cell).isEqualTo(1);
            assertThat(c.leftRunning()).as("runs left 'running' in " + cell).isZero();
            assertThat(c.recovered()).as("trials recovered to the clean run's content in " + cell).isEqualTo(1);
        }
        assertThat(result.ok()).as(result.table()).isTrue();
    }
}
