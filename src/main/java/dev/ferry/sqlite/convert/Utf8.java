package dev.ferry.sqlite.convert;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * SQLite stores whatever bytes it is given as TEXT; the driver quietly turns bytes
 * that are not UTF-8 into U+FFFD. Ferry looks again at such a value and rejects it
 * instead of loading a silently altered string.
 */
public final class Utf8 {

    private Utf8() {
    }

    public static String decode(String column, byte[] b) throws CastException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new CastException(column, b, "invalid UTF-8");
        }
    }
}
