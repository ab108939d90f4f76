package dev.ferry.sqlite;

import java.nio.file.Path;

import dev.ferry.settings.FerrySettings;
import dev.ferry.sqlite.report.MigrationResult;

/**
 * Where a SQLite file dropped into inbox/sqlite/ goes after its run: done/sqlite/ when
 * it loaded and validated, error/sqlite/ (with its report beside it) otherwise. A file
 * whose earlier run was cut off is resumed, not started again.
 */
public final class SqliteInbox {

    private final FerrySettings settings;

    public SqliteInbox(FerrySettings settings) {
        this.settings = settings;
    }

    public String destination(MigrationResult result, String fileName) {
        boolean ok = result.getRun().getStatus().accepted() && (result.getValidation() == null || result.getValidation().isOk());
        Path dir = (ok ? settings.doneDir() : settings.errorDir()).resolve("sqlite");
        return dir.resolve(fileName).toString();
    }
}
