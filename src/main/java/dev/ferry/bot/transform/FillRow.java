package dev.ferry.bot.transform;

import java.math.BigDecimal;
import java.time.Instant;

/** A fill of a paper order, found by orderRef (the paper order_id) or, without one, by symbol, side and time. */
public record FillRow(String orderRef, String side, BigDecimal quantity, BigDecimal price, BigDecimal fillValue, BigDecimal charges,
                      Instant filledAt) {
}
