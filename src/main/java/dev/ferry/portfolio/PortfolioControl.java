package dev.ferry.portfolio;

import dev.ferry.core.ops.RouteOperations;
import dev.ferry.portfolio.report.PortfolioConsole;
import dev.ferry.portfolio.report.PortfolioReports;
import dev.ferry.portfolio.report.PortfolioResult;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.api.management.ManagedResource;

/**
 * The JMX entry point of the single → multi-portfolio migration
 * (org.apache.camel:context=ferry,type=services,name=PortfolioControl). Every operation goes
 * through the route the CLI and the inbox use (direct:portfolio) and answers with what the CLI
 * prints. An empty target means ferry.portfolio.url.
 */
@ManagedResource(description = "Ferry's single -> multi-portfolio migration of the dashboard: check, phase1, phase2, rollback")
public final class PortfolioControl extends RouteOperations {

    private final PortfolioReports reports;

    public PortfolioControl(PortfolioReports reports) {
        this.reports = reports;
    }

    @ManagedAttribute(description = "Summary of the last portfolio command in this process (CLI, JMX or the inbox)")
    public String getLastResult() {
        return reports.last();
    }

    @ManagedOperation(description = "Version (from the schema history; a 1.0 that never saw Ferry is baselined), features, health, what to do next")
    public String check(String target) {
        return send("check", target, false, false);
    }

    @ManagedOperation(description = "Phase 1 (to 2.0): backup, portfolios and portfolio_id online, the old application keeps working; dryRun lists the SQL")
    public String phase1(String target, boolean dryRun) {
        return send("phase1", target, dryRun, false);
    }

    @ManagedOperation(description = "Phase 2 (to 3.0): NOT NULL, unique per portfolio, foreign keys; the old ON CONFLICT (symbol) stops working, so confirm=true")
    public String phase2(String target, boolean dryRun, boolean confirm) {
        return send("phase2", target, dryRun, confirm);
    }

    @ManagedOperation(description = "Back to 1.0 from 2.0 or 3.0: every portfolio merged into the default one, then the schema restored; confirm=true unless dryRun")
    public String rollback(String target, boolean dryRun, boolean confirm) {
        return send("rollback", target, dryRun, confirm);
    }

    private String send(String command, String target, boolean dryRun, boolean confirm) {
        try {
            return PortfolioConsole.render(template().requestBodyAndHeaders("direct:portfolio", null,
                    PortfolioMigration.headers(command, target, dryRun, confirm), PortfolioResult.class));
        } catch (RuntimeException e) {
            throw plainFailure("portfolio " + command, e);
        }
    }
}
