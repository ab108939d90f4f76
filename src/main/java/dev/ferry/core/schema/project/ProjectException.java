package dev.ferry.core.schema.project;

/**
 * A schema project that cannot be used as it stands. The message always starts with the file
 * (and line) so that an operator can go straight to what to fix.
 */
public final class ProjectException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;

    /** @param line 1-based; 0 when the problem is the file as a whole */
    public ProjectException(String file, int line, String message) {
        this(file, line, message, null);
    }

    public ProjectException(String file, String message) {
        this(file, 0, message, null);
    }

    public ProjectException(String file, int line, String message, Throwable cause) {
        super((line > 0 ? file + ":" + line : file) + ": " + message, cause);
        this.file = file;
        this.line = line;
    }

    public String file() {
        return file;
    }

    /** 1-based, or 0 when the problem has no single line. */
    public int line() {
        return line;
    }
}
