package dev.ferry.bot.transform;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One row for trading.orders, as a mapper produces it. withFill asks for a fill of the
 * whole quantity at avgPrice, at filledAt. A null placedAt is allowed only for a failed
 * order, which then takes the file's last_run.
 */
public record OrderRow(String side, String orderType, BigDecimal quantity, BigDecimal price, BigDecimal avgPrice, String status,
                       Instant placedAt, Instant filledAt, Instant closedAt, String orderId, String brokerOrderId, boolean withFill) {
}
