package dev.ferry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;

/**
 * Starts Ferry's Camel Main: the service (inbox routes running) or a one-shot
 * context for a CLI command (same routes, inbox routes not started).
 * Routes and config come from ./routes and ./config when present, else from the jar.
 */
public final class FerryRuntime implements AutoCloseable {

    private final Main main;
    private ProducerTemplate template;

    private FerryRuntime(boolean watch, boolean service, Map<String, String> overrides) {
        main = new Main();
        main.configure().addConfiguration(FerryWiring.class);
        main.setPropertyPlaceholderLocations(configLocation());
        main.configure().withRoutesIncludePattern(routesLocation());
        main.addOverrideProperty("ferry.watch", Boolean.toString(watch));
        managementFromEnvironment(System.getenv()).forEach(main::addOverrideProperty);
        if (!service) {
            // a CLI command next to a running service would find the management port taken
            main.addOverrideProperty("camel.management.enabled", "false");
        }
        if (!service && !watch) {
            // Camel has already drained the scheduled routes when Quartz stops; waiting for its jobs
            // again only waits out its worker threads' half-second poll, on every command's exit
            main.addOverrideProperty("camel.component.quartz.interrupt-jobs-on-shutdown", "true");
        }
        overrides.forEach(main::addOverrideProperty);
    }

    /**
     * CAMEL_MANAGEMENT_* variables as camel.management.* settings (CAMEL_MANAGEMENT_PORT ->
     * camel.management.port, CAMEL_MANAGEMENT_BASIC_PROPERTIES_FILE -> ...basic-properties-file).
     * Camel applies some of them by itself but not the port, so the documented overrides are made
     * explicit here; a one-shot command's "enabled=false" after them still wins.
     */
    static Map<String, String> managementFromEnvironment(Map<String, String> env) {
        Map<String, String> out = new java.util.TreeMap<>();
        env.forEach((k, v) -> {
            if (k.startsWith("CAMEL_MANAGEMENT_") && k.length() > "CAMEL_MANAGEMENT_".length()) {
                out.put("camel.management." + k.substring("CAMEL_MANAGEMENT_".length()).toLowerCase(java.util.Locale.ROOT).replace('_', '-'), v);
            }
        });
        return out;
    }

    /** Starts a context for one-shot commands (no management server unless the overrides turn it on); close it when done. */
    public static FerryRuntime start(boolean watch, Map<String, String> overrides) throws Exception {
        FerryRuntime rt = new FerryRuntime(watch, false, overrides);
        try {
            rt.main.start();
        } catch (Exception | Error e) {
            // a refused start (e.g. the management server's guard) must not leave a half-started context behind
            rt.main.stop();
            throw e;
        }
        return rt;
    }

    /**
     * The context of a one-shot CLI command. It registers no MBeans unless FERRY_CLI_JMX=true (or
     * -Dferry.cli.jmx=true): a command ends before a console attaches to it, and registering every
     * route's and processor's MBean cost a third of a command's start. The service keeps JMX.
     */
    public static FerryRuntime command() throws Exception {
        return command(Map.of());
    }

    /** A one-shot command's context with settings of its own (a schema command leaves Ferry's own database alone). */
    public static FerryRuntime command(Map<String, String> overrides) throws Exception {
        String jmx = System.getenv("FERRY_CLI_JMX");
        if (jmx == null) {
            jmx = System.getProperty("ferry.cli.jmx", "false");
        }
        Map<String, String> all = new java.util.HashMap<>(overrides);
        all.put("camel.main.jmx-enabled", Boolean.toString(Boolean.parseBoolean(jmx.strip())));
        return start(false, all);
    }

    /** Runs the service until SIGTERM or Ctrl-C; Camel drains in-flight files before it stops. */
    public static void serve(Map<String, String> overrides) throws Exception {
        new FerryRuntime(true, true, overrides).main.run();
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public synchronized ProducerTemplate template() {
        if (template == null) {
            template = context().createProducerTemplate();
        }
        return template;
    }

    @Override
    public void close() throws Exception {
        if (template != null) {
            template.close();
        }
        main.stop();
    }

    static String configLocation() {
        String explicit = System.getenv("FERRY_CONFIG");
        if (explicit == null) {
            explicit = System.getProperty("ferry.config");
        }
        if (explicit != null && !explicit.isBlank()) {
            return explicit.contains(":") ? explicit : "file:" + Path.of(explicit).toAbsolutePath();
        }
        Path local = Path.of("config", "application.properties");
        return Files.isRegularFile(local) ? "file:" + local.toAbsolutePath() : "classpath:config/application.properties";
    }

    static String routesLocation() {
        String explicit = System.getenv("FERRY_ROUTES");
        if (explicit == null) {
            explicit = System.getProperty("ferry.routes");
        }
        if (explicit != null && !explicit.isBlank()) {
            return explicit;
        }
        Path local = Path.of("routes");
        return Files.isDirectory(local) ? "file:" + local.toAbsolutePath() + "/*.camel.yaml" : "classpath:routes/*.camel.yaml";
    }
}
