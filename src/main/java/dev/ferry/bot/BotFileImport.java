package dev.ferry.bot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.bot.read.BotJsonReader;
import dev.ferry.bot.read.InboxFiles;
import dev.ferry.bot.state.OrderIds;
import dev.ferry.bot.state.SeenKeys;
import dev.ferry.bot.transform.PendingOrdersMapper;
import dev.ferry.bot.transform.StagedRecord;
import dev.ferry.bot.transform.Values;
import dev.ferry.bot.write.BotRowsWriter;
import dev.ferry.core.db.Database;
import dev.ferry.core.db.DatabaseUnavailableException;
import dev.ferry.core.ops.StopSignal;
import dev.ferry.core.ops.StoppingException;
import dev.ferry.core.report.RunResult;
import dev.ferry.core.report.RunStatus;
import dev.ferry.core.runs.RunStore;
import dev.ferry.settings.FerrySettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One import run of a bot file, as the route calls it: the whole file is read,
 * mapped and written inside one transaction, together with its dedup keys, its
 * rejects and the run's end state. A crash anywhere leaves nothing behind; a dry
 * run does the same work and rolls back. What differs between file kinds is the
 * {@link BotFlow}: where the records are and how they map.
 */
public final class BotFileImport {

    /** First key of Ferry's per-user advisory locks ("FERY"). */
    private static final int USER_LOCK_SPACE = 0x46455259;
    private static final Logger LOG = LoggerFactory.getLogger(BotFileImport.class);

    private final Database db;
    private final RunStore runs;
    private final Map<String, BotFlow> flows;
    private final Values values;
    private final ObjectMapper json;
    private final FerrySettings settings;
    private final long toleranceSeconds;
    private final RecordStager stager;
    private final StopSignal stop;

    public BotFileImport(Database db, RunStore runs, ObjectMapper json, Values values, List<BotFlow> flows, FerrySettings settings,
                         long toleranceSeconds, StopSignal stop) {
        this.stop = stop;
        this.db = db;
        this.runs = runs;
        this.json = json;
        this.values = values;
        this.settings = settings;
        this.toleranceSeconds = toleranceSeconds;
        this.stager = new RecordStager(json);
        this.flows = new LinkedHashMap<>();
        flows.forEach(f -> this.flows.put(f.name(), f));
    }

    public BotFlow flow(String name) {
        BotFlow f = flows.get(name);
        if (f == null) {
            throw new IllegalArgumentException("no such flow '" + name + "' (known: " + String.join(", ", flows.keySet()) + ")");
        }
        return f;
    }

    /** The route's receive step: the caller's headers as one request; an absent dry-run flag means a real run. */
    public BotFileRequest receive(String flow, String file, Long userId, Boolean dryRun) {
        return new BotFileRequest(flow, file, userId, Boolean.TRUE.equals(dryRun));
    }

    /** A file whose content an earlier run loaded: recorded as a run of its own, nothing read. */
    public RunResult duplicateFile(BotFileRequest req, String fileKey) {
        RunResult r = newResult(flow(req.flow()), req.file(), req.userId(), req.dryRun(), fileKey);
        long first = runs.runForFileKey(fileKey).orElseThrow(() -> new IllegalStateException("no run holds key " + fileKey));
        return runs.recordDuplicateFile(r, first);
    }

    /** Reads, maps, dedups and loads the file in one streaming pass (one COPY), as one run. */
    public RunResult run(BotFileRequest req, String fileKey) {
        BotFlow flow = flow(req.flow());
        String path = req.file();
        Long userId = req.userId();
        RunResult r = newResult(flow, path, userId, req.dryRun(), fileKey);
        runs.abortStale();
        try (Connection c = db.connection()) {
            runs.begin(c, r);
            var link = InboxFiles.throughLink(settings.inbox(), Path.of(path));
            if (link.isPresent()) {
                return refuse(c, r, link.get());
            }
            if (userId == null) {
                return refuse(c, r, "the file's path names no user: expected inbox/user_<id>/" + r.getSourceFile());
            }
            if (!userExists(c, userId)) {
                return refuse(c, r, "unknown user " + userId + ": no such id in trading.users; the whole file was refused");
            }
            c.setAutoCommit(false);
            boolean committed = false;
            try {
                if (Files.size(Path.of(path)) == 0) {
                    // an empty file holds no records, not "0 records": the bot writes at least [] or {}
                    r.finish(RunStatus.INVALID, r.getSourceFile() + " is empty (0 bytes): nothing was read");
                } else {
                    committed = load(c, flow, r, Path.of(path), fileKey);
                }
            } catch (JsonProcessingException e) {
                c.rollback();
                var loc = e.getLocation();
                String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
                r.finish(RunStatus.INVALID, "invalid JSON" + where + ": " + e.getOriginalMessage());
            } catch (BotJsonReader.BadFileException e) {
                c.rollback();
                r.finish(RunStatus.INVALID, e.getMessage());
            } catch (StoppingException e) {
                // recorded, then passed on: the caller leaves an inbox file where it is, so the next start loads it whole
                safeRollback(c);
                r.finish(RunStatus.ABORTED, e.getMessage() + "; nothing it wrote was kept, the file loads again at the next start");
                c.setAutoCommit(true);
                runs.finish(c, r);
                LOG.warn("Run {} for {}: {}", r.getRunId(), r.getSourceFile(), r.getMessage());
                throw new StoppingException(r.getMessage());
            } catch (IOException | SQLException | RuntimeException e) {
                safeRollback(c);
                if (DatabaseUnavailableException.isUnavailable(e)) {
                    DatabaseUnavailableException d = e instanceof DatabaseUnavailableException u ? u
                            : new DatabaseUnavailableException("PostgreSQL went away while loading " + r.getSourceFile() + ": " + e.getMessage(), e);
                    // the file is tried again as a new run: this one ends here, not 'running' beside it
                    runs.finishOrLater(c, r.finish(RunStatus.ABORTED, d.getMessage() + "; nothing it wrote was kept, the file is tried again"));
                    throw d;
                }
                LOG.error("Run {} for {} failed", r.getRunId(), path, e);
                r.finish(RunStatus.FAILED, e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            if (!committed) {
                c.setAutoCommit(true);
                runs.finish(c, r);
            }
            return r;
        } catch (SQLException e) {
            runs.finishAfterRollback(r.finish(RunStatus.FAILED, e.getMessage()));
            throw DatabaseUnavailableException.wrap("recording run " + r.getRunId(), e);
        }
    }

    /** Returns true when the run's rows were committed. */
    private boolean load(Connection c, BotFlow flow, RunResult r, Path file, String fileKey) throws IOException, SQLException {
        long[] read = {0};
        long started = System.nanoTime();
        int every = settings.progressEvery();
        BasicFileAttributes before = Files.readAttributes(file, BasicFileAttributes.class);
        lockUser(c, r.getUserId());
        SeenKeys seen = SeenKeys.loadedFor(c, r.getUserId());
        Map<String, JsonNode> topLevel;
        BotJsonReader reader = flow.reader(json).maxRecordBytes(settings.maxRecordBytes());
        // the first block of ids is drawn before any COPY starts; refills come on a connection of their own,
        // since the load's connection is busy sending COPY batches by then
        try (OrderIds ids = new OrderIds(c, OrderIds.expectedFor(Files.size(file)), db::connection);
             BotRowsWriter writer = new BotRowsWriter(c, ids, r, flow.origSource(), settings.copyBatchRecords(),
                     settings.batchForeignKeys(),
                     toleranceSeconds);
             InputStream in = Files.newInputStream(file)) {
            String what = "run " + r.getRunId() + " of " + r.getSourceFile();
            topLevel = reader.read(in, (kind, no, p, line, node) -> {
                stop.check(what);
                StagedRecord s = stager.stage(flow, kind, no, p, line, node);
                try {
                    if (s.isRejected()) {
                        writer.reject(s);
                    } else if (seen.add(s.kind(), s.dedupKey())) {
                        // a broker order id is a key of its own, shared by every source: the first source to bring it keeps it
                        boolean brokerKey = s.brokerOrderId() != null && !PendingOrdersMapper.BROKER_ORDER.equals(s.kind())
                                && seen.add(PendingOrdersMapper.BROKER_ORDER, s.brokerOrderId());
                        writer.load(s, brokerKey);
                    } else {
                        writer.duplicate(s);
                    }
                } catch (SQLException e) {
                    throw new IOException(e);
                }
                if (++read[0] % every == 0) {
                    double secs = (System.nanoTime() - started) / 1e9;
                    LOG.info("{}: {} records read ({} records/s)", r.getSourceFile(), read[0], Math.round(read[0] / secs));
                }
            });
            stop.check("run " + r.getRunId() + " of " + r.getSourceFile());
            writer.finish(lastRun(topLevel.get("last_run")));
        }
        r.setRecordsRead(read[0]);
        if (!r.reconciles()) {
            throw new IllegalStateException("counts do not reconcile: read " + r.getRecordsRead() + " != loaded " + r.getLoaded()
                    + " + duplicates " + r.getDuplicates() + " + rejected " + r.getRejected() + "; nothing was kept");
        }
        if (r.isDryRun()) {
            c.rollback();
            r.finish(RunStatus.COMPLETED, "dry run: every change was rolled back");
            return false;
        }
        BasicFileAttributes after = Files.readAttributes(file, BasicFileAttributes.class);
        if (after.size() != before.size() || !after.lastModifiedTime().equals(before.lastModifiedTime())) {
            // what was read may be half the old content and half the new, and the file's key is the old content's
            c.rollback();
            keepNothing(r);
            r.finish(RunStatus.FAILED, r.getSourceFile() + " was written to while it was read (" + before.size() + " -> " + after.size()
                    + " bytes): nothing was kept; it is read again once nothing writes to it");
            return false;
        }
        if (!claimFile(c, r, fileKey)) {
            c.rollback();
            keepNothing(r);
            r.finish(RunStatus.DUPLICATE_FILE, "same content was loaded by another run while this one worked");
            return false;
        }
        r.finish(RunStatus.COMPLETED, null);
        runs.finish(c, r);
        c.commit();
        return true;
    }

    /** A run whose transaction was rolled back counts nothing. */
    private static void keepNothing(RunResult r) {
        r.setRecordsRead(0);
        r.setLoaded(0);
        r.setOrders(0);
        r.setFills(0);
        r.setDuplicates(0);
        r.setRejected(0);
        r.getRejects().clear();
    }

    private Instant lastRun(JsonNode node) {
        Instant t = values.lastRun(node);
        if (t == null && !Values.absent(node)) {
            LOG.warn("Ignoring the file's last_run {}: not an ISO-8601 time", node);
        }
        return t;
    }

    /** Records the file's key in the load's transaction; false when another run got there first. */
    private static boolean claimFile(Connection c, RunResult r, String fileKey) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO ferry.processed_files (file_key, run_id, source_file) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, fileKey);
            ps.setLong(2, r.getRunId());
            ps.setString(3, r.getSourceFile());
            return ps.executeUpdate() == 1;
        }
    }

    private RunResult refuse(Connection c, RunResult r, String why) throws SQLException {
        r.finish(RunStatus.REFUSED, why);
        runs.finish(c, r);
        return r;
    }

    /**
     * Loads for one user take turns (a transaction-scoped advisory lock), so a second
     * node or CLI loading the same user reads the dedup keys only after the first has
     * committed them, and skips its duplicates instead of colliding on them.
     */
    private static void lockUser(Connection c, long userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?, ?)")) {
            ps.setInt(1, USER_LOCK_SPACE);
            ps.setInt(2, Long.hashCode(userId));
            ps.execute();
        }
    }

    private static boolean userExists(Connection c, long userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM trading.users WHERE id = ?")) {
            ps.setLong(1, userId);
            return ps.executeQuery().next();
        }
    }

    private static RunResult newResult(BotFlow flow, String path, Long userId, boolean dryRun, String fileKey) {
        RunResult r = new RunResult(flow.name(), Path.of(path).getFileName().toString(), userId, dryRun);
        r.setChecksum(fileKey == null ? null : fileKey.substring(fileKey.lastIndexOf(':') + 1));
        return r;
    }

    private static void safeRollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is already gone; the server rolls the transaction back
        }
    }
}
