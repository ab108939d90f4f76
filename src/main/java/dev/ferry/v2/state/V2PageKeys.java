package dev.ferry.v2.state;

import java.util.function.Predicate;

import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The idempotent consumer's memory of v2 pages: a key (table/page/digest) is known when a
 * committed pass loaded that page with that very digest. The keys live in v3 (ferry_v2.pages),
 * written by the page's own load transaction, so a crash can never keep a key without its rows
 * or rows without their key; add, confirm and remove have nothing left to do.
 */
public final class V2PageKeys extends ServiceSupport implements IdempotentRepository {

    private final Predicate<String> committed;

    public V2PageKeys(Predicate<String> committed) {
        this.committed = committed;
    }

    @Override
    public boolean contains(String key) {
        return committed.test(key);
    }

    @Override
    public boolean add(String key) {
        return !committed.test(key);
    }

    @Override
    public boolean remove(String key) {
        return true;
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public void clear() {
        // the keys are the checkpoint of the pass; only a rollback of its runs removes them
    }
}
