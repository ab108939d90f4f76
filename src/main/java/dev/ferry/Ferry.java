package dev.ferry;

import dev.ferry.cli.ExitCodes;
import dev.ferry.cli.FerryCli;
import dev.ferry.core.db.Secrets;
import picocli.CommandLine;

/** Entry point of the jar: the CLI, whose default command runs the service. */
public final class Ferry {

    private Ferry() {
    }

    public static void main(String[] args) {
        String refused = Secrets.onCommandLine(args);
        if (refused != null) {
            System.err.println(refused);
            System.exit(ExitCodes.USAGE);
        }
        int code = new CommandLine(new FerryCli()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        System.exit(code);
    }
}
