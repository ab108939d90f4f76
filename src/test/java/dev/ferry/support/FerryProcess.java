package dev.ferry.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the packaged jar as a user would, in a working folder of its own, and captures what it prints. */
public final class FerryProcess {

    public static Path jar() {
        String jar = System.getProperty("ferry.jar", "target/ferry.jar");
        return Path.of(jar).toAbsolutePath();
    }

    public record Result(int exitCode, String stdout, String stderr) {
        public String all() {
            return stdout + stderr;
        }
    }

    /** Runs to completion (or fails after the timeout) and returns exit code and output. */
    public static Result run(Path workDir, Map<String, String> env, long timeoutSeconds, String... args) throws Exception {
        Process p = start(workDir, env, List.of(), args);
        Path out = workDir.resolve("stdout.txt");
        Path err = workDir.resolve("stderr.txt");
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ferry " + String.join(" ", args) + " did not finish in " + timeoutSeconds + " s:\n" + Files.readString(err));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Starts the jar; stdout and stderr go to stdout.txt and stderr.txt in the working folder. */
    public static Process start(Path workDir, Map<String, String> env, List<String> jvmArgs, String... args) throws IOException {
        Files.createDirectories(workDir);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-jar");
        cmd.add(jar().toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile())
                .redirectOutput(workDir.resolve("stdout.txt").toFile())
                .redirectError(workDir.resolve("stderr.txt").toFile());
        pb.environment().putAll(env);
        return pb.start();
    }
}
