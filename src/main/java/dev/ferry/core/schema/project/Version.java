package dev.ferry.core.schema.project;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A schema version such as 1.10.0. Ordered numerically part by part, because folder names sort
 * lexically (1.10.0 before 1.9.0) and that order is wrong. A missing part counts as 0, so 1.0 and
 * 1.0.0 are the same version; equals and hashCode agree with that, which is what lets two such
 * folders be caught as duplicates.
 */
public record Version(List<Integer> parts, String text) implements Comparable<Version> {

    private static final Pattern FORMAT = Pattern.compile("\\d+(\\.\\d+)*");

    public Version {
        if (parts == null || parts.isEmpty()) {
            throw new IllegalArgumentException("a version needs at least one part");
        }
        parts = List.copyOf(parts);
        for (int p : parts) {
            if (p < 0) {
                throw new IllegalArgumentException("version parts are never negative: " + parts);
            }
        }
        if (text == null) {
            text = parts.stream().map(String::valueOf).collect(Collectors.joining("."));
        }
    }

    /** "1", "1.0", "1.10.0": any number of dot-separated decimal parts. */
    public static Version parse(String text) {
        if (text == null || !FORMAT.matcher(text).matches()) {
            throw new IllegalArgumentException("not a version (digits separated by dots, e.g. 1.2.0): " + text);
        }
        List<Integer> parts = new ArrayList<>();
        for (String p : text.split("\\.")) {
            try {
                parts.add(Integer.parseInt(p));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("version part too large: " + p + " in " + text, e);
            }
        }
        return new Version(parts, text);
    }

    /** The next minor version, with at least three parts: 1.1.0 gives 1.2.0, 3 gives 3.1.0. */
    public Version nextMinor() {
        List<Integer> next = new ArrayList<>(parts);
        while (next.size() < 3) {
            next.add(0);
        }
        next.set(1, next.get(1) + 1);
        for (int i = 2; i < next.size(); i++) {
            next.set(i, 0);
        }
        return new Version(next, null);
    }

    @Override
    public int compareTo(Version o) {
        int n = Math.max(parts.size(), o.parts.size());
        for (int i = 0; i < n; i++) {
            int c = Integer.compare(part(i), o.part(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private int part(int i) {
        return i < parts.size() ? parts.get(i) : 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Version v && compareTo(v) == 0;
    }

    @Override
    public int hashCode() {
        int end = parts.size();
        while (end > 1 && parts.get(end - 1) == 0) {
            end--;
        }
        return parts.subList(0, end).hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
