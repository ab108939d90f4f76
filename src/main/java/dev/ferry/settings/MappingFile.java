package dev.ferry.settings;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A mapping kept as data under config/mappings: read from the configured folder
 * when it has the file (so operators can edit it), else from the copy in the jar.
 */
public final class MappingFile {

    private final String name;
    private final Properties props = new Properties();

    private MappingFile(String name) {
        this.name = name;
    }

    public static MappingFile load(Path dir, String fileName) {
        MappingFile m = new MappingFile(fileName);
        Path onDisk = dir.resolve(fileName);
        try {
            if (Files.isRegularFile(onDisk)) {
                try (Reader r = Files.newBufferedReader(onDisk, StandardCharsets.UTF_8)) {
                    m.props.load(r);
                }
            } else {
                try (InputStream in = MappingFile.class.getClassLoader().getResourceAsStream("config/mappings/" + fileName)) {
                    if (in == null) {
                        throw new IllegalStateException("mapping " + fileName + " is neither in " + dir + " nor in the jar");
                    }
                    m.props.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read mapping " + onDisk + ": " + e.getMessage(), e);
        }
        return m;
    }

    public String get(String key) {
        String v = props.getProperty(key);
        if (v == null) {
            throw new IllegalStateException("mapping " + name + " has no entry '" + key + "'");
        }
        return v.strip();
    }

    public List<String> list(String key) {
        return Arrays.stream(get(key).split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** Entries under a prefix, keys lower-cased: status.open=ongoing gives {open=ongoing}. */
    public Map<String, String> section(String prefix) {
        Map<String, String> out = new TreeMap<>();
        for (String k : props.stringPropertyNames()) {
            if (k.startsWith(prefix + ".")) {
                out.put(k.substring(prefix.length() + 1).toLowerCase(Locale.ROOT), props.getProperty(k).strip());
            }
        }
        return out;
    }
}
