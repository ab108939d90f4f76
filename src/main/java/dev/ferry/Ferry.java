package dev.ferry;

import dev.ferry.cli.FerryCli;
import picocli.CommandLine;

/** Entry point of the jar: the CLI, whose default command runs the service. */
public final class Ferry {

    private Ferry() {
    }

    public static void main(String[] args) {
        int code = new CommandLine(new FerryCli()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        System.exit(code);
    }
}
