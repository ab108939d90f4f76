package dev.ferry.bot.transform;

import java.math.BigDecimal;
import java.time.Instant;

/** The open position a holdings entry describes; openedAt is used only when the position is new. */
public record PositionRow(BigDecimal quantity, BigDecimal avgPrice, BigDecimal unrealizedPnl, Instant openedAt) {
}
