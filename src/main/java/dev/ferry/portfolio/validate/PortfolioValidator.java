package dev.ferry.portfolio.validate;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import dev.ferry.core.schema.SchemaResult;
import dev.ferry.portfolio.read.PortfolioInspector;
import dev.ferry.portfolio.report.PortfolioResult.Check;
import dev.ferry.portfolio.write.PortfolioBackup;

/**
 * What a phase or rollback must leave behind: the expected version, every applied version's
 * verify.sql passing, no row of the backup lost, and (from 2.0 on) every row with a portfolio.
 */
public final class PortfolioValidator {

    private PortfolioValidator() {
    }

    /** With {@code health} as the inspector read it after the change. */
    public static List<Check> validate(Connection c, SchemaResult verify, List<Check> health, String expected, String backup, boolean merged)
            throws SQLException {
        List<Check> out = new ArrayList<>();
        out.add(new Check("version " + expected, expected.equals(verify.getCurrentVersion()), "the engine's history says "
                + (verify.getCurrentVersion() == null ? "no version" : verify.getCurrentVersion())));
        List<String> failed = verify.getVersions().stream().filter(v -> "applied".equals(v.state()) && !"passed".equals(v.outcome()))
                .map(v -> v.version() + ": " + v.detail()).toList();
        out.add(new Check("verify.sql of every applied version", failed.isEmpty() && verify.getErrors().isEmpty(),
                failed.isEmpty() ? verify.getVersions().stream().filter(v -> "applied".equals(v.state())).count() + " version(s) verified"
                        : String.join("; ", failed)));
        if (backup != null) {
            long positions = PortfolioBackup.missing(c, backup, "portfolio_positions", merged ? "symbol" : "id");
            long signals = PortfolioBackup.missing(c, backup, "trading_signals", "id");
            long prices = PortfolioBackup.missing(c, backup, "price_history", "id");
            out.add(new Check("no row lost", positions + signals + prices == 0, "against " + backup + ": " + positions + " position(s)"
                    + (merged ? " (by symbol: merged rows fold into one)" : "") + ", " + signals + " signal(s), " + prices + " price row(s) missing"));
        }
        // the health just read counted the NULL ids: the validation takes its word instead of scanning the tables again
        List<Check> nulls = health.stream().filter(h -> h.name().startsWith("NULL portfolio_id in ")).toList();
        if (!nulls.isEmpty()) {
            List<String> bad = nulls.stream().filter(h -> !h.ok()).map(h -> h.name().substring("NULL portfolio_id in ".length()) + ": " + h.detail()).toList();
            out.add(new Check("every row has its portfolio", bad.isEmpty(), bad.isEmpty() ? "no row without portfolio_id in "
                    + PortfolioInspector.SYMBOL_TABLES : String.join("; ", bad)));
        }
        return out;
    }
}
