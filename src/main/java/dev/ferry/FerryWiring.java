package dev.ferry;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ferry.core.ops.ScratchFiles;
import dev.ferry.bot.BotFileImport;
import dev.ferry.bot.BotFlow;
import dev.ferry.bot.UserLanes;
import dev.ferry.bot.read.InboxScanSchedule;
import dev.ferry.bot.read.WriteComplete;
import dev.ferry.bot.read.BotFolder;
import dev.ferry.bot.read.InboxFiles;
import dev.ferry.bot.read.SyncFolders;
import dev.ferry.bot.state.BotRollback;
import dev.ferry.bot.transform.HoldingsMapper;
import dev.ferry.bot.transform.PaperOrdersMapper;
import dev.ferry.bot.transform.PendingOrdersMapper;
import dev.ferry.bot.transform.TradesHistoryMapper;
import dev.ferry.bot.transform.TransactionsMapper;
import dev.ferry.bot.transform.Values;
import dev.ferry.bot.validate.BotDataValidator;
import dev.ferry.core.db.Database;
import dev.ferry.core.db.DatabaseUnavailableException;
import dev.ferry.core.ops.FerryMetrics;
import dev.ferry.core.ops.FerryOperations;
import dev.ferry.core.ops.ManagementServerGuard;
import dev.ferry.core.ops.StopSignal;
import dev.ferry.core.report.ReportWriter;
import dev.ferry.core.report.ValidationReports;
import dev.ferry.core.runs.ProcessedFileRepository;
import dev.ferry.core.runs.RunRollback;
import dev.ferry.core.runs.RunStore;
import dev.ferry.schema.SchemaChanges;
import dev.ferry.schema.SchemaControl;
import dev.ferry.schema.read.SchemaInbox;
import dev.ferry.schema.report.SchemaReports;
import dev.ferry.settings.FerrySettings;
import dev.ferry.settings.MappingFile;
import dev.ferry.sqlite.SqliteInbox;
import dev.ferry.sqlite.SqliteMigration;
import dev.ferry.sqlite.SqliteMigrationControl;
import dev.ferry.sqlite.SqliteSettings;
import dev.ferry.sqlite.convert.CastRules;
import dev.ferry.sqlite.convert.MigrationMapping;
import dev.ferry.sqlite.convert.TablePlanner;
import dev.ferry.sqlite.report.MigrationReports;
import dev.ferry.sqlite.state.SqliteRollback;
import dev.ferry.portfolio.PortfolioControl;
import dev.ferry.portfolio.PortfolioMigration;
import dev.ferry.portfolio.report.PortfolioReports;
import dev.ferry.v2.V2Control;
import dev.ferry.v2.V2Migration;
import dev.ferry.v2.read.V2Source;
import dev.ferry.v2.report.V2Reports;
import dev.ferry.v2.state.V2PageKeys;
import dev.ferry.v2.state.V2Rollback;
import dev.ferry.v2.transform.V2Maps;
import dev.ferry.v2.transform.V2Mapper;
import dev.ferry.v2.validate.V2Validator;
import dev.ferry.v2.write.V3Target;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where Ferry's beans are wired and put in Camel's registry under
 * the names the YAML routes call them by.
 */
public class FerryWiring implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(FerryWiring.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        FerrySettings settings = new FerrySettings(key -> {
            Optional<String> v = context.getPropertiesComponent().resolveProperty(key);
            return v;
        });
        Database db = new Database(settings);
        RunStore runs = new RunStore(db);
        // a bot import killed with -9 leaves its COPY spool behind; the next start of any Ferry process clears it
        ScratchFiles.removeOrphans(Path.of(System.getProperty("java.io.tmpdir")));
        // money must not pass through double: 2450.10 stays 2450.10
        ObjectMapper json = JsonMapper.builder()
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .build();
        MappingFile tradesMapping = MappingFile.load(settings.mappingsDir(), "trades-history.properties");
        MappingFile pendingMapping = MappingFile.load(settings.mappingsDir(), "pending-orders.properties");
        MappingFile paperMapping = MappingFile.load(settings.mappingsDir(), "paper-orders.properties");
        MappingFile holdingsMapping = MappingFile.load(settings.mappingsDir(), "holdings.properties");
        MappingFile transactionsMapping = MappingFile.load(settings.mappingsDir(), "transactions.properties");
        Values values = new Values(settings.sourceZone(), tradesMapping.list("symbol.suffixes"));
        List<BotFlow> flows = List.of(
                new BotFlow("trades_history", Map.of("trades", TradesHistoryMapper.TRADE, "failed_orders", TradesHistoryMapper.FAILED),
                        TradesHistoryMapper.TRADE, new TradesHistoryMapper(json, values, tradesMapping), tradesMapping.get("orig-source")),
                new BotFlow("pending_orders", Map.of("orders", PendingOrdersMapper.BROKER_ORDER), PendingOrdersMapper.BROKER_ORDER,
                        new PendingOrdersMapper(json, values, pendingMapping), pendingMapping.get("orig-source")),
                new BotFlow("paper_orders", Map.of("orders", PaperOrdersMapper.PAPER_ORDER), PaperOrdersMapper.PAPER_ORDER,
                        new PaperOrdersMapper(json, values, paperMapping), paperMapping.get("orig-source")),
                new BotFlow("holdings", Map.of(), HoldingsMapper.HOLDING, new HoldingsMapper(json, values, holdingsMapping), null, true),
                new BotFlow("transactions", Map.of("transactions", TransactionsMapper.TRANSACTION), TransactionsMapper.TRANSACTION,
                        new TransactionsMapper(json, values, transactionsMapping), null));

        var registry = context.getRegistry();
        StopSignal stop = new StopSignal(settings.shutdownGraceMillis());
        registry.bind("stopSignal", stop);
        registry.bind("ferrySettings", settings);
        registry.bind("database", db);
        registry.bind("runs", runs);
        registry.bind("processedFiles", new ProcessedFileRepository(runs));
        // each flow undoes its own runs; the generic rollback dispatches on the run's flow
        BotRollback botRollback = new BotRollback(db, runs);
        registry.bind("botRollback", botRollback);
        // the v2 -> v3 migration: v2 read through camel-jdbc (#v2Source), its value maps as data in config/mappings
        V2Source v2Source = new V2Source();
        V2Mapper v2Mapper = new V2Mapper(V2Maps.of(MappingFile.load(settings.mappingsDir(), V2Maps.FILE)), new ObjectMapper());
        V2Migration v2 = new V2Migration(settings, db, runs, v2Source, new V3Target(db), v2Mapper, new V2Validator(v2Source, v2Mapper), stop);
        V2Rollback v2Rollback = new V2Rollback(v2, db, runs);
        registry.bind("v2Source", v2Source);
        registry.bind("v2Migration", v2);
        registry.bind("v2Pages", new V2PageKeys(v2::committed));
        registry.bind("v2Rollback", v2Rollback);
        registry.bind("runRollback", new RunRollback(db, runs, List.of(botRollback, new SqliteRollback(db, runs), v2Rollback)));
        registry.bind("inboxFiles", new InboxFiles(settings));
        InboxScanSchedule scans = new InboxScanSchedule(settings.inboxPollMillis());
        registry.bind("inboxScanSchedule", scans);
        registry.bind("inboxWriteComplete", new WriteComplete(settings.inboxWriteCompleteMillis(), scans));
        UserLanes lanes = new UserLanes(settings.inboxParallelUsers(), "direct:inbox-bot-file", context::createProducerTemplate);
        registry.bind("inboxLanes", lanes);
        context.addService(lanes);
        // files waiting for their lane stay in the inbox instead of all being loaded while Camel waits for in-flight
        // work, and runs in flight get a short grace period before their loops stop them
        context.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.CamelContextStoppingEvent) {
                    stop.stopping();
                    lanes.releaseWaiting();
                } else if (event instanceof CamelEvent.CamelContextStartingEvent) {
                    stop.started();
                }
            }
        });
        registry.bind("botFolder", new BotFolder());
        registry.bind("syncFolders", new SyncFolders(settings.string("ferry.sync.folders", "")));
        registry.bind("reports", new ReportWriter(settings));
        // Ferry's meters go to the registry Camel's metrics (camel.metrics.enabled) scrape, found at first use
        FerryMetrics metrics = new FerryMetrics(() -> Optional.<MeterRegistry>ofNullable(
                registry.lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME, MeterRegistry.class))
                .orElseGet(SimpleMeterRegistry::new));
        registry.bind("ferryMetrics", metrics);
        ValidationReports validationReports = new ValidationReports(settings);
        registry.bind("validationReports", validationReports);
        FerryOperations operations = new FerryOperations(runs, validationReports);
        registry.bind("ferryOperations", operations);
        // as a service it is registered in JMX by Camel, under Camel's domain and context name
        context.addService(operations);
        new ManagementServerGuard(key -> context.getPropertiesComponent().resolveProperty(key)).install(context);
        BotFileImport botImport = new BotFileImport(db, runs, json, values, flows, settings,
                Long.parseLong(transactionsMapping.get("match.tolerance-seconds")), stop);
        registry.bind("botImport", botImport);
        registry.bind("botValidation", new BotDataValidator(db, json, values, new BotFolder(), botImport));

        // the SQLite migration: cast rules and renames/fill-ins are data in config/mappings
        SqliteSettings sqliteSettings = SqliteSettings.of(settings);
        TablePlanner planner = new TablePlanner(CastRules.load(settings.mappingsDir()),
                MigrationMapping.of(MappingFile.load(settings.mappingsDir(), "sqlite.properties")));
        SqliteMigration sqlite = new SqliteMigration(db, runs, planner, sqliteSettings, settings.progressEvery(), stop);
        registry.bind("sqliteMigration", sqlite);
        registry.bind("sqliteReports", new MigrationReports(settings, validationReports));
        registry.bind("sqliteInbox", new SqliteInbox(settings));

        // JMX: the SQLite migration's operations, sent through the same route as the CLI; a service, so Camel registers it
        context.addService(new SqliteMigrationControl());

        // versioned schema changes of any database: the stages the route calls, its reports, the inbox, and JMX
        SchemaChanges schemaChanges = new SchemaChanges(settings);
        SchemaReports schemaReports = new SchemaReports(settings, metrics);
        registry.bind("schemaChanges", schemaChanges);
        registry.bind("schemaReports", schemaReports);
        registry.bind("schemaInbox", new SchemaInbox(settings, schemaChanges, schemaReports));
        context.addService(new SchemaControl(schemaReports));

        V2Reports v2Reports = new V2Reports(settings, validationReports);
        registry.bind("v2Reports", v2Reports);
        V2Control v2Control = new V2Control(v2Reports);
        registry.bind("v2Control", v2Control);
        context.addService(v2Control);

        // the dashboard's single -> multi-portfolio migration: the stages the route calls, its reports, and JMX
        PortfolioReports portfolioReports = new PortfolioReports(settings);
        registry.bind("portfolioMigration", new PortfolioMigration(settings, db, runs));
        registry.bind("portfolioReports", portfolioReports);
        context.addService(new PortfolioControl(portfolioReports));

        context.addService(new ServiceSupport() {
            @Override
            protected void doStart() {
                if (!settings.migrateOnStart()) {
                    return; // a command that only reads settings (the demo's and benchmark's first step) leaves the database alone
                }
                try {
                    db.ready();
                    runs.abortStale();
                } catch (DatabaseUnavailableException e) {
                    LOG.warn("{}; Ferry starts anyway and retries when work arrives", e.getMessage());
                }
            }

            @Override
            protected void doStop() {
                v2Source.close();
                v2.target().close();
                db.close();
            }
        });
    }
}
