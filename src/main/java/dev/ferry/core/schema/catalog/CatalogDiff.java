package dev.ferry.core.schema.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeSet;

/** What separates an actual catalog from the expected one, object by object. */
public final class CatalogDiff {

    private final List<Difference> differences;

    private CatalogDiff(List<Difference> differences) {
        this.differences = List.copyOf(differences);
    }

    public static CatalogDiff compare(Catalog expected, Catalog actual) {
        SortedMap<String, String> e = expected.objects();
        SortedMap<String, String> a = actual.objects();
        TreeSet<String> keys = new TreeSet<>(e.keySet());
        keys.addAll(a.keySet());
        List<Difference> found = new ArrayList<>();
        for (String key : keys) {
            String want = e.get(key);
            String have = a.get(key);
            if (have == null) {
                found.add(new Difference(Difference.Kind.MISSING, key, want, null));
            } else if (want == null) {
                found.add(new Difference(Difference.Kind.EXTRA, key, null, have));
            } else if (!want.equals(have)) {
                found.add(new Difference(Difference.Kind.DIFFERENT, key, want, have));
            }
        }
        return new CatalogDiff(found);
    }

    /** Sorted by object key, so related objects (all columns, all indexes) stay together. */
    public List<Difference> differences() {
        return differences;
    }

    public boolean isEmpty() {
        return differences.isEmpty();
    }

    public List<String> lines() {
        return differences.stream().map(Difference::line).toList();
    }

    @Override
    public String toString() {
        return isEmpty() ? "no differences" : String.join(System.lineSeparator(), lines());
    }
}
