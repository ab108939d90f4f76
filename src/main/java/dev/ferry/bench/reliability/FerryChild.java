package dev.ferry.bench.reliability;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One Ferry process of a trial: the packaged jar as users run it, its output in the trial's log folder. */
final class FerryChild {

    private final Process process;
    private final Path log;
    private final List<String> args;
    private final long startedNanos = System.nanoTime();

    private FerryChild(Process process, Path log, List<String> args) {
        this.process = process;
        this.log = log;
        this.args = args;
    }

    /** {@code java -jar ferry.jar ARGS} in the trial's folder, with the trial's environment and nothing else of FERRY_*. */
    static FerryChild start(Trial trial, Map<String, String> flowEnv, String role, List<String> args) throws IOException {
        Files.createDirectories(trial.logDir());
        int n;
        try (var logs = Files.list(trial.logDir())) {
            n = (int) logs.count() + 1;
        }
        Path log = trial.logDir().resolve(n + "-" + role + ".log");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        if (!args.isEmpty() && !args.get(0).equals("serve")) {
            // as bin/ferry runs a one-shot job: C1 only, since C2's compile time on two cores outweighs what it wins
            cmd.add("-XX:TieredStopAtLevel=1");
            // and the class-data archive bin/ferry records beside the jar, when it is there and current
            Path jsa = jar().resolveSibling(jar().getFileName().toString().replaceFirst("\\.jar$", ".jsa"));
            if (Files.isRegularFile(jsa) && jsa.toFile().lastModified() > jar().toFile().lastModified()) {
                cmd.addAll(List.of("-XX:SharedArchiveFile=" + jsa, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
            }
        }
        cmd.add("-jar");
        cmd.add(jar().toString());
        cmd.addAll(args);
        // the trial's folder holds no config/ or routes/: Ferry runs on the copies inside the jar, as shipped
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(trial.workDir().toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // a FERRY_* variable of the caller's shell would point the child elsewhere
        pb.environment().keySet().removeIf(k -> k.startsWith("FERRY_"));
        pb.environment().putAll(trial.env());
        pb.environment().putAll(flowEnv);
        Files.writeString(log, "$ ferry " + String.join(" ", args) + "\n");
        return new FerryChild(pb.start(), log, args);
    }

    /** The packaged jar: -Dferry.jar, else the jar this class runs from, else target/ferry.jar. */
    static Path jar() {
        String prop = System.getProperty("ferry.jar");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath();
        }
        try {
            Path self = Path.of(FerryChild.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (self.toString().endsWith(".jar")) {
                return self;
            }
        } catch (URISyntaxException | SecurityException e) {
            // fall through to the build's jar
        }
        return Path.of("target/ferry.jar").toAbsolutePath();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Waits for the end; true when it ended within the time. */
    boolean await(long millis) throws InterruptedException {
        return process.waitFor(millis, TimeUnit.MILLISECONDS);
    }

    int exitCode() {
        return process.exitValue();
    }

    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, as an operator or systemd stops Ferry. */
    void term() {
        process.destroy();
    }

    double seconds() {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    Path log() {
        return log;
    }

    String command() {
        return "ferry " + String.join(" ", args);
    }
}
