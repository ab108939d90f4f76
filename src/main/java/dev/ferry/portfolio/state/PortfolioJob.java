package dev.ferry.portfolio.state;

import dev.ferry.core.report.RunResult;
import dev.ferry.core.schema.SchemaEngine;
import dev.ferry.core.schema.SchemaTarget;
import dev.ferry.portfolio.PortfolioRequest;
import dev.ferry.portfolio.report.PortfolioResult;

/**
 * One portfolio command between the route's stages: the request, the dashboard's database, the
 * engine that changes its schema, Ferry's run record of it and the result so far.
 */
public final class PortfolioJob {

    private final PortfolioRequest request;
    private final SchemaTarget target;
    private final SchemaEngine engine;
    private final PortfolioResult result;
    private RunResult run;

    public PortfolioJob(PortfolioRequest request, SchemaTarget target, SchemaEngine engine, PortfolioResult result) {
        this.request = request;
        this.target = target;
        this.engine = engine;
        this.result = result;
    }

    public PortfolioRequest request() {
        return request;
    }

    public SchemaTarget target() {
        return target;
    }

    public SchemaEngine engine() {
        return engine;
    }

    public PortfolioResult result() {
        return result;
    }

    public RunResult run() {
        return run;
    }

    public void setRun(RunResult run) {
        this.run = run;
    }

    /** Later stages have nothing to do: the command was refused, failed, or only looked. */
    public boolean done() {
        return result.stopped() || request.dryRun() || "check".equals(request.command());
    }
}
