package com.emaileventhub;

import com.emaileventhub.api.AdminAuth;
import com.emaileventhub.api.AlertsApi;
import com.emaileventhub.api.DeliveriesApi;
import com.emaileventhub.api.EventsApi;
import com.emaileventhub.api.LeadsApi;
import com.emaileventhub.api.MessagesApi;
import com.emaileventhub.api.StatsApi;
import com.emaileventhub.api.SuppressionsApi;
import com.emaileventhub.config.HubConfig;
import com.emaileventhub.destination.DeliveryModule;
import com.emaileventhub.destination.DeliverySettings;
import com.emaileventhub.destination.alert.AlertChannels;
import com.emaileventhub.destination.alert.AlertEngine;
import com.emaileventhub.destination.analytics.AnalyticsDelivery;
import com.emaileventhub.destination.analytics.AnalyticsSettings;
import com.emaileventhub.destination.crm.CrmDelivery;
import com.emaileventhub.destination.crm.CrmSettings;
import com.emaileventhub.destination.crm.LeadTasks;
import com.emaileventhub.destination.kafka.KafkaRecords;
import com.emaileventhub.destination.lead.LeadNotify;
import com.emaileventhub.destination.lead.LeadScoring;
import com.emaileventhub.destination.rabbitmq.RabbitStream;
import com.emaileventhub.destination.suppression.SuppressionSettings;
import com.emaileventhub.esp.VendorKeys;
import com.emaileventhub.http.EdgeOutcomes;
import com.emaileventhub.http.HttpEdge;
import com.emaileventhub.intake.DestinationRoutes;
import com.emaileventhub.intake.Fanout;
import com.emaileventhub.intake.Intake;
import com.emaileventhub.intake.MachineEngagement;
import com.emaileventhub.intake.WebhookRoutes.WebhookRoute;
import com.emaileventhub.intake.WebhookRoutes;
import com.emaileventhub.observe.DatabaseHealthCheck;
import com.emaileventhub.observe.DestinationHealthCheck;
import com.emaileventhub.observe.LoadHealthCheck;
import com.emaileventhub.store.AlertFigures;
import com.emaileventhub.store.AlertStore;
import com.emaileventhub.store.ArchiveSettings;
import com.emaileventhub.store.Database;
import com.emaileventhub.store.DeliveredLookup;
import com.emaileventhub.store.EventQuery;
import com.emaileventhub.store.H2Housekeeping;
import com.emaileventhub.store.InactiveRecipients;
import com.emaileventhub.store.InsightMaintenance;
import com.emaileventhub.store.InsightQuery;
import com.emaileventhub.store.InsightReader;
import com.emaileventhub.store.InsightStore;
import com.emaileventhub.store.Journal;
import com.emaileventhub.store.JournalMaintenance;
import com.emaileventhub.store.JournalSettings;
import com.emaileventhub.store.LeadStore;
import com.emaileventhub.store.RecentEvents;
import com.emaileventhub.store.TableStatistics;
import com.emaileventhub.telemetry.AlertMetrics;
import com.emaileventhub.telemetry.ContextEvents;
import com.emaileventhub.telemetry.HubMetrics;
import com.emaileventhub.webhook.RejectionReason;
import com.emaileventhub.webhook.VendorSettings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.CamelEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the hub: database (migrated), journal, intake, API and metrics beans, bound into a
 * camel-main whose routes are the YAML files under routes/ (the working directory's copy when
 * present, else the one in the jar).
 */
public final class Hub implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Hub.class);

    /** The destination that keeps the figures of /api/stats: it follows the journal, every event goes to it. */
    static final String INSIGHT = "insight";
    static final String ARCHIVE = "archive";
    /**
     * Destinations that follow the journal with a cursor instead of one outbox row per event: the insight figures
     * (they move the cursor in the transaction that writes them) and an archive in a database of its own (an
     * idempotent copy; the cursor moves after it; in the hub's database the journal is the archive, and its route is
     * not polled). Every stored event reaches them; the fan-out rules do not choose for them.
     */
    static final Set<String> JOURNAL_FED = Set.of(INSIGHT, ARCHIVE);
    /**
     * Destinations that follow the journal with a cursor but take only the events the fan-out rules choose for them,
     * stored on the journal row (column routes) instead of an outbox row: the engaged-lead scores and the suppression
     * list, each applying a batch and moving its cursor in one transaction of the hub's database.
     */
    static final Set<String> ROUTED = Set.of("leads", "suppression");
    /** Destinations whose routes call Salesforce: loaded only with the CRM on (hub.crm.enabled). */
    private static final Set<String> SALESFORCE_DESTINATIONS = Set.of("crm", "lead-crm");

    private final HubConfig config;
    private final Main main;
    private final Database database;
    private final DeliveryModule delivery;
    private final RouteFiles routes;
    private final HttpEdge edge;
    private final RabbitStream rabbitmq;

    public Hub(HubConfig config) {
        this.config = config;
        VendorKeys.validate(config);
        Logging.levels(config);
        this.edge = new HttpEdge(config);
        this.database = new Database(config.get("hub.db.url"), config.require("hub.db.username"),
                config.get("hub.db.password", ""), config.integer("hub.db.pool-size"),
                config.duration("hub.db.connection-timeout"));
        database.migrate();
        this.main = new Main();
        // with the CRM off, no camel.component.salesforce.* key reaches Camel: the component (and its HTTP client and
        // class scan) is never created, which was most of the start-up time
        boolean crm = config.bool("hub.crm.enabled");
        config.governPlaceholders(main, key -> crm || !key.startsWith("camel.component.salesforce."));
        Path routesDir = Path.of(config.require("hub.routes.dir"));
        this.routes = RouteFiles.resolve(routesDir).withoutDisabledDestinations(
                name -> config.bool("hub." + name + ".enabled", true) && (crm || !SALESFORCE_DESTINATIONS.contains(name)));
        LOG.info(routes.summary(routesDir));
        main.configure().withRoutesIncludePattern(routes.includePattern());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        HubMetrics metrics = new HubMetrics(registry);
        main.bind("metricsRegistry", registry);
        main.bind("prometheusMeterRegistry", registry);
        main.bind("hubDataSource", database.dataSource());
        main.bind("hubMetrics", metrics);
        // --- HTTP edge: TLS, worker pool, webhook gate (allow-lists, shedding, deadlines) ---
        edge.bind(main::bind, new EdgeOutcomes() {
            @Override
            public void webhook(String vendor, RejectionReason reason, long nanos) {
                metrics.webhook(vendor, reason, nanos);
            }

            @Override
            public void unrouted(String area, RejectionReason reason) {
                metrics.unrouted(area, reason);
            }
        });
        metrics.httpInFlight(edge::inFlight, edge.maxConcurrentRequests());
        BooleanSupplier shedding = edge::isShedding;
        main.bind(LoadHealthCheck.BEAN, shedding);
        RecentEvents recent = new RecentEvents(config.integer("hub.journal.recent-events"));
        Journal journal = new Journal(database, JournalSettings.from(config), ROUTED, recent);
        metrics.journalReads(recent, RecentEvents::hits, RecentEvents::misses);
        main.bind("journal", journal);
        metrics.journalCommits(journal::groupCommits, journal::groupedRequests, journal::committingSeconds);
        metrics.intakePace(journal.pace()::lagMillis, journal.pace()::waitedMillis);
        // PostgreSQL without autovacuum: the hub keeps its own tables' planner statistics (route db-statistics)
        main.bind("tableStatistics", new TableStatistics(database));
        main.bind("adminAuth", new AdminAuth(config.get("hub.admin.token"), config.get("hub.api.read-token")));
        main.bind("eventsApi", new EventsApi(new EventQuery(database)));
        // --- insight: machine heuristics at intake, figures kept by the insight destination, the stats API ---
        main.bind("machineEngagement", new MachineEngagement(config, new DeliveredLookup(database)));
        main.bind("insightStore", new InsightStore(database, Clock.systemUTC()));
        main.bind("insightMaintenance", new InsightMaintenance(database, config.duration("hub.insight.fine-retention"),
                config.duration("hub.insight.daily-retention"), Clock.systemUTC()));
        InsightQuery insight = new InsightQuery(database);
        main.bind("statsApi", new StatsApi(insight, Clock.systemUTC(), config.duration("hub.insight.fine-retention")));
        main.bind("messagesApi", new MessagesApi(insight));
        // --- durable delivery: queues, engine, archive + suppression destinations ---
        this.delivery = new DeliveryModule(DeliverySettings.from(config), SuppressionSettings.from(config),
                ArchiveSettings.from(config), database, registry, Clock.systemUTC(), JOURNAL_FED, ROUTED,
                journal.pace(), recent, ARCHIVE);
        delivery.bind(main::bind);
        // where the archive lives in the hub's database the journal is its recent part: the events past retention move
        // to hub_archive_past (the archive switched on), and the archive has no cursor of its own to wait for
        boolean archiveInJournal = delivery.archive().inJournal();
        main.bind("journalMaintenance", new JournalMaintenance(journal,
                config.duration("hub.journal.retention"), longestTolerance(config),
                // the cursors of the journal-fed destinations that run: switched on, and with a delivery route
                Clock.systemUTC(), () -> DestinationRoutes.names(main.getCamelContext()).stream()
                .filter(name -> JOURNAL_FED.contains(name) || ROUTED.contains(name))
                .filter(name -> !(archiveInJournal && ARCHIVE.equals(name)))
                .filter(name -> config.bool("hub." + name + ".enabled", true)).sorted().toList(),
                archiveInJournal && config.bool("hub." + ARCHIVE + ".enabled", true)));
        // H2 at WRITE_DELAY=0 does not rewrite its sparse chunks itself: route h2-housekeeping does (no-op on PostgreSQL)
        main.bind("h2Housekeeping", new H2Housekeeping(250, database.dialect(), database.dataSource(),
                delivery.archive().dialect(), delivery.archive().dataSource()));
        main.bind("deliveriesApi", new DeliveriesApi(delivery.queue(), Clock.systemUTC(),
                () -> DestinationRoutes.names(main.getCamelContext()), JOURNAL_FED, ROUTED));
        main.bind("suppressionsApi", new SuppressionsApi(delivery.suppressions(), delivery.rules()));
        // --- destinations: analytics and CRM (routes/destinations/analytics|crm.camel.yaml) ---
        main.bind("analyticsDelivery", new AnalyticsDelivery(AnalyticsSettings.from(config), metrics, Clock.systemUTC()));
        main.bind("crmDelivery", new CrmDelivery(CrmSettings.from(config), database.dataSource(), metrics, Clock.systemUTC()));
        // --- event streams out: RabbitMQ (routes/destinations/rabbitmq.camel.yaml) and Kafka ---
        this.rabbitmq = new RabbitStream(config);
        main.bind("rabbitmqStream", rabbitmq);
        main.bind("rabbitmqConnectionFactory", rabbitmq.connectionFactory());
        // Kafka (routes/destinations/kafka.camel.yaml): records for the camel-kafka endpoint, whose producer exists only
        // while that route is loaded
        main.bind("kafkaRecords", new KafkaRecords(Duration.ofMillis(config.integer("hub.stream.kafka.max-block-millis"))));
        // --- alerts: rules evaluated by route alerts-evaluate, notifications delivered by the alert-* destinations ---
        AlertStore alerts = new AlertStore(database);
        InsightReader windows = new InsightReader(insight, Clock.systemUTC(),
                config.duration("hub.insight.fine-retention"));
        main.bind("alertEngine", new AlertEngine(config, new AlertFigures(windows, insight), alerts,
                new AlertMetrics(registry), Clock.systemUTC()));
        main.bind("alertChannels", new AlertChannels(config, alerts, Clock.systemUTC()));
        main.bind("alertsApi", new AlertsApi(alerts));
        // --- engaged leads: the leads destination scores, lead-crm / lead-notify deliver the signals ---
        LeadStore leads = new LeadStore(database);
        main.bind("leadScoring", new LeadScoring(config, leads, Clock.systemUTC()));
        main.bind("leadTasks", new LeadTasks(config, leads, Clock.systemUTC()));
        main.bind("leadNotify", new LeadNotify(leads));
        main.bind("leadsApi", new LeadsApi(leads, new InactiveRecipients(database), Clock.systemUTC()));
        // --- end destinations ---
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport m) {
                CamelContext context = m.getCamelContext();
                edge.attach(context);
                Fanout fanout = new Fanout(context, name -> config.bool("hub." + name + ".enabled", true), metrics,
                        JOURNAL_FED);
                context.getRegistry().bind("intake", new Intake(config, journal, fanout, metrics, Clock.systemUTC()));
                HealthCheckRegistry health = HealthCheckRegistry.get(context);
                if (health != null) {
                    health.register(new DatabaseHealthCheck(database.dataSource()));
                    health.register(new LoadHealthCheck());
                }
                delivery.engine().onWorker(worker -> {
                    if (health != null) {
                        health.register(new DestinationHealthCheck(worker, delivery.engine().settings().stalledAfter()));
                    }
                });
                delivery.attach(context);
                context.getManagementStrategy().addEventNotifier(ContextEvents.on(
                        Set.of(CamelEvent.CamelContextStartedEvent.class), event -> {
                            summarizeVendors(context);
                            fanout.checkRules();
                            if (config.bool("hub.routes.reload")) {
                                new RouteReload(routesDir, routes, metrics, fanout::refresh).attach(context);
                            }
                        }));
            }
        });
        if (config.get("hub.admin.token") == null) {
            LOG.warn(config.get("hub.api.read-token") == null
                    ? "hub.admin.token is not set: /api/** answers 401 to every call"
                    : "hub.admin.token is not set: /api/** only reads (hub.api.read-token); lifts and replays answer 403");
        }
    }

    /** Replay tokens must outlive the widest signature tolerance of any vendor. */
    static Duration longestTolerance(HubConfig config) {
        Duration longest = Duration.ofDays(1);
        for (String key : config.asMap().keySet()) {
            if (key.startsWith("hub.esp.") && key.endsWith(".tolerance")) {
                Duration d = config.duration(key, longest);
                if (d.compareTo(longest) > 0) {
                    longest = d;
                }
            }
        }
        return longest;
    }

    /**
     * Once the routes run: one line naming the webhook routes (built-in or declared in YAML) that are ready
     * and those still without credentials (they answer 401), with the keys that would configure them.
     */
    private void summarizeVendors(CamelContext context) {
        List<String> ready = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (WebhookRoute route : WebhookRoutes.running(context, v -> new VendorSettings(v, config::get))) {
            String vendor = route.vendor();
            List<String> keys = route.contract().credentialKeys().stream().map(k -> "hub.esp." + vendor + "." + k).toList();
            if (keys.stream().anyMatch(k -> config.get(k) != null)) {
                ready.add(vendor);
            } else {
                List<String> known = keys.stream().filter(config.asMap()::containsKey).toList();
                missing.add(vendor + " (" + String.join(" or ", known.isEmpty() ? keys : known) + ")");
            }
        }
        ready.sort(null);
        missing.sort(null);
        if (missing.isEmpty()) {
            LOG.info("webhooks ready: {}", ready);
        } else {
            LOG.warn("webhooks ready: {}; without credentials, answering 401 until set: {}", ready, String.join(", ", missing));
        }
    }

    /** Starts and returns at once (tests, benchmarks). */
    public Hub start() throws Exception {
        main.start();
        return this;
    }

    /** Starts and blocks until the JVM is asked to stop. */
    public void run() throws Exception {
        main.run();
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public RouteFiles routes() {
        return routes;
    }

    public Database database() {
        return database;
    }

    public HubConfig config() {
        return config;
    }

    public HttpEdge edge() {
        return edge;
    }

    public DeliveryModule delivery() {
        return delivery;
    }

    @Override
    public void close() {
        delivery.stop();
        try {
            main.stop();
        } catch (Exception e) {
            LOG.warn("stopping camel failed", e);
        }
        delivery.close();
        rabbitmq.close();
        database.close();
    }
}
