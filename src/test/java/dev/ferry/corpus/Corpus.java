package dev.ferry.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The malformed-input corpus under src/test/resources/corpus/: a manifest per entry point
 * (tab-separated, one input a line, # comments) and the small inputs it names. Inputs named
 * gen:&lt;name&gt; are built by the test that reads the manifest.
 */
final class Corpus {

    /** One input and what Ferry must make of it. */
    record Case(String name, String flow, String input, String dropAs, String status, long loaded, List<String> rejects,
                List<String> message) {

        boolean generated() {
            return input.startsWith("gen:");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private Corpus() {
    }

    /** The cases of one manifest, in its order; the first line that is not a comment names the columns. */
    static List<Case> manifest(String name) {
        List<Case> out = new ArrayList<>();
        boolean header = true;
        for (String line : text(name).lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (header) {
                header = false;
                continue;
            }
            String[] c = Arrays.copyOf(line.split("\t", -1), 8);
            for (int i = 0; i < c.length; i++) {
                c[i] = c[i] == null ? "" : c[i];
            }
            out.add(new Case(c[0], c[1], c[2], c[3], c[4], c[5].isEmpty() ? 0 : Long.parseLong(c[5]), split(c[6], ","), split(c[7], " && ")));
        }
        return out;
    }

    /** A checked-in input, as bytes. */
    static byte[] bytes(String relative) {
        try (InputStream in = Corpus.class.getClassLoader().getResourceAsStream("corpus/" + relative)) {
            if (in == null) {
                throw new IllegalArgumentException("no corpus file " + relative);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(String relative) {
        return new String(bytes(relative), StandardCharsets.UTF_8);
    }

    private static List<String> split(String s, String sep) {
        return s.isEmpty() ? List.of() : List.of(s.split(java.util.regex.Pattern.quote(sep), -1));
    }

    /**
     * Moves content into an inbox the way a careful copy does (written beside it, then renamed in),
     * its time set that many seconds back so the first scan takes it and files keep their order.
     */
    static void moveIn(Path staging, byte[] content, Path target, int secondsAgo) throws IOException {
        Path staged = staging.resolve(target.getFileName().toString());
        Files.createDirectories(staging);
        Files.write(staged, content);
        moveIn(staged, target, secondsAgo);
    }

    static void moveIn(Path staged, Path target, int secondsAgo) throws IOException {
        Files.setLastModifiedTime(staged, FileTime.fromMillis(System.currentTimeMillis() - secondsAgo * 1000L));
        Files.createDirectories(target.getParent());
        Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Waits until the file (or link) has left the inbox, at most 90 s. */
    static void awaitGone(Path inInbox) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (Files.exists(inInbox, LinkOption.NOFOLLOW_LINKS)) {
            assertThat(System.nanoTime()).as("%s left the inbox", inInbox).isLessThan(until);
            Thread.sleep(20);
        }
    }
}
