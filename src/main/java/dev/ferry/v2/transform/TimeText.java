package dev.ferry.v2.transform;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * v2 keeps times as text in three spellings: '2024-03-01 12:00:00', '2024-03-01T12:00:00.123456'
 * and '2024-03-01T12:00:00+00:00'. Times without an offset are in the configured source zone.
 */
public final class TimeText {

    private static final Pattern OFFSET = Pattern.compile(".*([+-]\\d{2}(:?\\d{2})?|Z)$");

    private TimeText() {
    }

    /** The instant, or null for null/blank; an unparseable text throws DateTimeParseException. */
    public static Instant parse(String text, ZoneId zone) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.strip();
        if (t.length() > 10 && t.charAt(10) == ' ') {
            t = t.substring(0, 10) + 'T' + t.substring(11);
        }
        if (t.length() > 19 && OFFSET.matcher(t.substring(19)).matches()) {
            String off = t.substring(19);
            // +00 and +0000 are PostgreSQL's spellings; java.time wants +00:00
            if (off.matches(".*[+-]\\d{2}$")) {
                t = t + ":00";
            } else if (off.matches(".*[+-]\\d{4}$")) {
                t = t.substring(0, t.length() - 2) + ":" + t.substring(t.length() - 2);
            }
            return OffsetDateTime.parse(t).toInstant();
        }
        if (t.length() == 10) {
            throw new DateTimeParseException("a date without a time", text, 0);
        }
        return LocalDateTime.parse(t).atZone(zone).toInstant();
    }
}
