package dev.ferry.sqlite;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.ferry.sqlite.read.SourceForeignKey;
import dev.ferry.sqlite.read.SourceTable;

/**
 * The load order the source's foreign keys imply: every table after the tables it
 * references (self-references aside). Tables of a cycle are reported with the tables
 * in it; they load after everything else they reference, in the file's order, which is
 * safe because Ferry adds foreign keys only once all data is in.
 */
public final class DependencyOrder {

    private final Map<String, Set<String>> parents = new LinkedHashMap<>();
    private final List<String> order = new ArrayList<>();
    private final List<List<String>> cycles = new ArrayList<>();

    public DependencyOrder(List<SourceTable> tables) {
        Map<String, String> byLower = new LinkedHashMap<>();
        tables.forEach(t -> byLower.put(t.name().toLowerCase(Locale.ROOT), t.name()));
        for (SourceTable t : tables) {
            Set<String> ps = new LinkedHashSet<>();
            for (SourceForeignKey fk : t.foreignKeys()) {
                String p = byLower.get(fk.parentTable().toLowerCase(Locale.ROOT));
                if (p != null && !p.equals(t.name())) {
                    ps.add(p);
                }
            }
            parents.put(t.name(), ps);
        }
        findCycles();
        Set<String> placed = new LinkedHashSet<>();
        while (placed.size() < parents.size()) {
            boolean progress = false;
            for (var e : parents.entrySet()) {
                if (!placed.contains(e.getKey()) && placed.containsAll(effectiveParents(e.getKey()))) {
                    placed.add(e.getKey());
                    order.add(e.getKey());
                    progress = true;
                }
            }
            if (!progress) {
                throw new IllegalStateException("no load order for " + parents.keySet() + " (cycles " + cycles + ")");
            }
        }
    }

    /** The tables a table waits for: its parents, less those in a cycle with it. */
    public Set<String> effectiveParents(String table) {
        Set<String> ps = new LinkedHashSet<>(parents.get(table));
        for (List<String> c : cycles) {
            if (c.contains(table)) {
                ps.removeAll(c);
            }
        }
        return ps;
    }

    public List<String> order() {
        return order;
    }

    /** Each cycle's tables, in the file's order. */
    public List<List<String>> cycles() {
        return cycles;
    }

    // Tarjan's strongly connected components; a component of more than one table is a cycle
    private int index;
    private final Map<String, Integer> idx = new LinkedHashMap<>();
    private final Map<String, Integer> low = new LinkedHashMap<>();
    private final java.util.Deque<String> stack = new java.util.ArrayDeque<>();

    private void findCycles() {
        for (String t : parents.keySet()) {
            if (!idx.containsKey(t)) {
                strong(t);
            }
        }
        List<String> all = new ArrayList<>(parents.keySet());
        cycles.forEach(c -> c.sort((a, b) -> Integer.compare(all.indexOf(a), all.indexOf(b))));
    }

    private void strong(String v) {
        idx.put(v, index);
        low.put(v, index);
        index++;
        stack.push(v);
        for (String w : parents.get(v)) {
            if (!idx.containsKey(w)) {
                strong(w);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (stack.contains(w)) {
                low.put(v, Math.min(low.get(v), idx.get(w)));
            }
        }
        if (low.get(v).equals(idx.get(v))) {
            List<String> comp = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                comp.add(w);
            } while (!w.equals(v));
            if (comp.size() > 1) {
                cycles.add(comp);
            }
        }
    }
}
