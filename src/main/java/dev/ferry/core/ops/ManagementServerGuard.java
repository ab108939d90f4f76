package dev.ferry.core.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.Service;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig;
import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig.AuthenticationConfigEntry;
import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig.AuthenticationHandlerFactory;
import io.vertx.ext.auth.authentication.AuthenticationProvider;
import io.vertx.ext.web.handler.AuthenticationHandler;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the management HTTP server (camel.management.*) never serves Jolokia or metrics
 * without a password. Camel's basic authentication guards one path
 * (camel.management.authentication-path, Ferry sets /observe/jolokia/*); this guard adds the
 * metrics path with the same users file, so only the health endpoint stays open (probes
 * need it without credentials). A refusal here stops Ferry with the reason before the port
 * opens, instead of serving it unguarded.
 */
public final class ManagementServerGuard extends LifecycleStrategySupport {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementServerGuard.class);

    /** Where camel-platform-http-jolokia serves Jolokia (fixed in Camel 4.18). */
    private static final String JOLOKIA_PATH = "/observe/jolokia";

    private final Function<String, Optional<String>> settings;

    public ManagementServerGuard(Function<String, Optional<String>> settings) {
        this.settings = settings;
    }

    /**
     * Checks the server Camel Main has already created (in 4.18 it does so before it calls
     * CamelConfiguration classes), and one added later through the lifecycle strategy.
     */
    public void install(CamelContext context) {
        ManagementHttpServer existing = context.hasService(ManagementHttpServer.class);
        if (existing != null) {
            guard(existing);
        }
        context.addLifecycleStrategy(this);
    }

    @Override
    public void onServiceAdd(CamelContext context, Service service, Route route) {
        if (service instanceof ManagementHttpServer server) {
            guard(server);
        }
    }

    /** Runs before the server starts: Vert.x builds its routes, authentication first, only then. */
    void guard(ManagementHttpServer server) {
        AuthenticationConfig auth = server.getConfiguration().getAuthenticationConfig();
        if (!auth.isEnabled() || auth.getEntries().isEmpty()) {
            throw new IllegalStateException("Ferry does not start the management server (camel.management.enabled=true) without "
                    + "authentication: set camel.management.authentication-enabled=true and camel.management.basic-properties-file "
                    + "to a users file (see README, 'Operating Ferry'), or set camel.management.enabled=false");
        }
        Optional<String> usersFile = setting("basic-properties-file", "basicPropertiesFile");
        usersFile.ifPresent(file -> {
            if (!Files.isRegularFile(Path.of(file)) || !Files.isReadable(Path.of(file))) {
                throw new IllegalStateException("the management server's users file " + Path.of(file).toAbsolutePath()
                        + " does not exist or cannot be read; create it with lines 'user.<name>=<password>' (see "
                        + "config/management-users.properties.example), or set camel.management.enabled=false");
            }
        });
        String metricsPath = settings.apply("camel.metrics.path").map(String::strip).filter(p -> !p.isEmpty())
                .orElse("/observe/metrics");
        if (server.isMetricsEnabled() && auth.getEntries().stream().noneMatch(e -> covers(e.getPath(), metricsPath))) {
            AuthenticationConfigEntry jolokia = auth.getEntries().get(0);
            AuthenticationConfigEntry metrics = new AuthenticationConfigEntry();
            metrics.setPath(metricsPath);
            metrics.setAuthenticationHandlerFactory(jolokia.getAuthenticationHandlerFactory());
            metrics.setAuthenticationProviderFactory(jolokia.getAuthenticationProviderFactory());
            auth.getEntries().add(metrics);
        }
        usersFile.map(f -> ManagementRoles.load(Path.of(f))).filter(ManagementRoles::anyViewer)
                .ifPresent(roles -> auth.getEntries().forEach(e -> readOnlyFor(e, roles)));
        LOG.info("Management server on port {}: authentication on {}", server.getPort(),
                auth.getEntries().stream().map(AuthenticationConfigEntry::getPath).toList());
    }

    /**
     * Puts the viewers' check in front of Camel's basic authentication on one path: a viewer's
     * request that would operate is answered 403 there; everything else goes on to the password check.
     */
    private static void readOnlyFor(AuthenticationConfigEntry entry, ManagementRoles roles) {
        AuthenticationHandlerFactory passwords = entry.getAuthenticationHandlerFactory();
        entry.setAuthenticationHandlerFactory(new AuthenticationHandlerFactory() {
            @Override
            public <T extends AuthenticationProvider> AuthenticationHandler createAuthenticationHandler(T provider) {
                AuthenticationHandler next = passwords.createAuthenticationHandler(provider);
                return ctx -> {
                    String why = roles.refusal(ctx.request().getHeader("Authorization"), ctx.request().method().name(),
                            ctx.normalizedPath(), ctx.request().getParam("p"), JOLOKIA_PATH);
                    if (why == null) {
                        next.handle(ctx);
                        return;
                    }
                    LOG.info("Management server: {} {} refused: {}", ctx.request().method(), ctx.normalizedPath(), why);
                    ctx.response().setStatusCode(403).putHeader("Content-Type", "text/plain; charset=utf-8").end(why + "\n");
                };
            }
        });
    }

    /** As Camel Main reads it: its environment variable (CAMEL_MANAGEMENT_BASICPROPERTIESFILE) wins over the properties file. */
    private Optional<String> setting(String kebab, String camel) {
        return Optional.ofNullable(System.getenv("CAMEL_MANAGEMENT_" + camel.toUpperCase(Locale.ROOT)))
                .or(() -> settings.apply("camel.management." + kebab)).or(() -> settings.apply("camel.management." + camel))
                .map(String::strip).filter(v -> !v.isEmpty());
    }

    /** Whether an authentication path (exact, or ending in * as Vert.x reads it) covers the given path. */
    static boolean covers(String authPath, String path) {
        if (authPath.endsWith("*")) {
            String prefix = authPath.substring(0, authPath.length() - 1);
            return path.startsWith(prefix) || (prefix.endsWith("/") && path.equals(prefix.substring(0, prefix.length() - 1)));
        }
        return authPath.equals(path);
    }
}
