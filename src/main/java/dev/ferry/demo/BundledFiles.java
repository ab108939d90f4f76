package dev.ferry.demo;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/** Copies a folder that travels inside the jar (config/schema/..., for the demo) out to disk, wherever the jar runs from. */
public final class BundledFiles {

    private BundledFiles() {
    }

    public static Path copy(String folder, Path to) throws IOException {
        URL url = BundledFiles.class.getClassLoader().getResource(folder);
        if (url == null) {
            throw new IOException("the jar holds no " + folder);
        }
        if ("jar".equals(url.getProtocol())) {
            JarURLConnection conn = (JarURLConnection) url.openConnection();
            conn.setUseCaches(false);
            try (JarFile jar = conn.getJarFile()) {
                Enumeration<JarEntry> entries = jar.entries();
                while (entries.hasMoreElements()) {
                    JarEntry e = entries.nextElement();
                    if (!e.isDirectory() && e.getName().startsWith(folder + "/")) {
                        Path out = to.resolve(e.getName().substring(folder.length() + 1));
                        Files.createDirectories(out.getParent());
                        try (InputStream in = jar.getInputStream(e)) {
                            Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            }
            return to;
        }
        try {
            Path from = Path.of(url.toURI());
            List<Path> files;
            try (Stream<Path> s = Files.walk(from)) {
                files = s.filter(Files::isRegularFile).toList();
            }
            for (Path f : files) {
                Path out = to.resolve(from.relativize(f).toString());
                Files.createDirectories(out.getParent());
                Files.copy(f, out, StandardCopyOption.REPLACE_EXISTING);
            }
            return to;
        } catch (URISyntaxException e) {
            throw new IOException("cannot read " + url, e);
        }
    }
}
