package dev.ferry.core.runs;

import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The idempotent-consumer EIP's repository for whole files, backed by
 * ferry.processed_files. It only ever reads: the key is written by the load
 * itself, in the same transaction as the rows, so a crash can neither keep a key
 * without its rows nor rows without their key. Removing is refused for the same
 * reason: a key goes only when a rollback removes its run.
 */
public final class ProcessedFileRepository extends ServiceSupport implements IdempotentRepository {

    private final RunStore runs;

    public ProcessedFileRepository(RunStore runs) {
        this.runs = runs;
    }

    @Override
    public boolean add(String key) {
        return !contains(key);
    }

    @Override
    public boolean contains(String key) {
        return runs.runForFileKey(key).isPresent();
    }

    @Override
    public boolean remove(String key) {
        return false;
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public void clear() {
        // keys are removed by rollback of their run, never wholesale
    }
}
