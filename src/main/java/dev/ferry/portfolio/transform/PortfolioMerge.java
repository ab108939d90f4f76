package dev.ferry.portfolio.transform;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ferry.portfolio.report.PortfolioResult.MergeGroup;

/**
 * The rollback's data step: every portfolio folded into the default (oldest) one, so the 1.0
 * schema's one-position-per-symbol holds again. A symbol held in several portfolios keeps one
 * row (the default portfolio's, else the oldest), whose quantity is the sum and whose avg_cost is
 * the quantity-weighted average; the merged rows' signals and prices move to it before the rows go.
 */
public final class PortfolioMerge {

    /** What the merge will do, or did. */
    public record Plan(String kept, List<MergeGroup> groups, long moved) {
    }

    private record Holding(long id, String portfolio, long quantity, BigDecimal avgCost) {
    }

    private PortfolioMerge() {
    }

    /** Reads the plan; with {@code lock} the positions are locked FOR UPDATE, so the plan is the one applied in the same transaction. */
    public static Plan plan(Connection c, boolean lock) throws SQLException {
        if (!hasPortfolioId(c, "portfolio_positions")) {
            // a rollback cut off in its undo (down.sql drops the columns one by one): its merge had committed before
            return new Plan(null, List.of(), 0);
        }
        String kept;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT ferry_default_portfolio()")) {
            rs.next();
            kept = rs.getString(1);
        }
        Map<String, List<Holding>> bySymbol = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, symbol, portfolio_id, quantity, avg_cost FROM portfolio_positions "
                + "ORDER BY symbol, portfolio_id IS DISTINCT FROM ?, id" + (lock ? " FOR UPDATE" : ""))) {
            ps.setString(1, kept);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    bySymbol.computeIfAbsent(rs.getString(2), s -> new ArrayList<>())
                            .add(new Holding(rs.getLong(1), rs.getString(3), rs.getLong(4), rs.getBigDecimal(5)));
                }
            }
        }
        List<MergeGroup> groups = new ArrayList<>();
        long moved = 0;
        for (Map.Entry<String, List<Holding>> e : bySymbol.entrySet()) {
            List<Holding> rows = e.getValue();
            Holding keep = rows.get(0);
            if (rows.size() == 1) {
                moved += kept.equals(keep.portfolio()) ? 0 : 1;
                continue;
            }
            long quantity = rows.stream().mapToLong(Holding::quantity).sum();
            BigDecimal cost = rows.stream().map(h -> h.avgCost().multiply(BigDecimal.valueOf(h.quantity()))).reduce(BigDecimal.ZERO, BigDecimal::add);
            BigDecimal avg = quantity == 0 ? keep.avgCost() : cost.divide(BigDecimal.valueOf(quantity), 3, RoundingMode.HALF_EVEN);
            List<String> merged = rows.subList(1, rows.size()).stream()
                    .map(h -> "row " + h.id() + " of " + h.portfolio() + ": " + h.quantity() + " @ " + h.avgCost().toPlainString()).toList();
            groups.add(new MergeGroup(e.getKey(), keep.id(), keep.portfolio(), merged, quantity, avg.toPlainString()));
        }
        return new Plan(kept, groups, moved);
    }

    /** Applies the plan on the caller's transaction; the caller commits. */
    public static void apply(Connection c, Plan p) throws SQLException {
        if (p.kept() == null) {
            return;
        }
        try (PreparedStatement keepRow = c.prepareStatement("UPDATE portfolio_positions SET portfolio_id = ? WHERE id = ?");
             PreparedStatement follow = c.prepareStatement("UPDATE trading_signals SET portfolio_id = ? WHERE symbol = ? AND portfolio_id IS DISTINCT FROM ?");
             PreparedStatement followPrices = c.prepareStatement("UPDATE price_history SET portfolio_id = ? WHERE symbol = ? AND portfolio_id IS DISTINCT FROM ?");
             PreparedStatement drop = c.prepareStatement("DELETE FROM portfolio_positions WHERE symbol = ? AND id <> ?");
             PreparedStatement sum = c.prepareStatement("UPDATE portfolio_positions SET quantity = ?, avg_cost = ?, last_updated = CURRENT_TIMESTAMP WHERE id = ?")) {
            for (MergeGroup g : p.groups()) {
                // the kept row first, so that (kept portfolio, symbol) exists for the rows that follow it
                keepRow.setString(1, p.kept());
                keepRow.setLong(2, g.keptId());
                keepRow.executeUpdate();
                for (PreparedStatement ps : List.of(follow, followPrices)) {
                    ps.setString(1, p.kept());
                    ps.setString(2, g.symbol());
                    ps.setString(3, p.kept());
                    ps.executeUpdate();
                }
                drop.setString(1, g.symbol());
                drop.setLong(2, g.keptId());
                drop.executeUpdate();
                sum.setLong(1, g.quantity());
                sum.setBigDecimal(2, new BigDecimal(g.avgCost()));
                sum.setLong(3, g.keptId());
                sum.executeUpdate();
            }
            try (PreparedStatement rest = c.prepareStatement("UPDATE portfolio_positions SET portfolio_id = ? WHERE portfolio_id IS DISTINCT FROM ?")) {
                rest.setString(1, p.kept());
                rest.setString(2, p.kept());
                rest.executeUpdate();
            }
            for (String t : List.of("trading_signals", "price_history")) {
                if (!hasPortfolioId(c, t)) {
                    continue; // dropped by the undo of a rollback cut off after its merge committed
                }
                try (PreparedStatement rest = c.prepareStatement("UPDATE " + t + " SET portfolio_id = ? WHERE portfolio_id IS DISTINCT FROM ?")) {
                    rest.setString(1, p.kept());
                    rest.setString(2, p.kept());
                    rest.executeUpdate();
                }
            }
        }
    }

    private static boolean hasPortfolioId(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
                + "AND table_name = ? AND column_name = 'portfolio_id'")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
