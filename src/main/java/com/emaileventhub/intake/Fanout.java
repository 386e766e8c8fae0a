package com.emaileventhub.intake;

import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.telemetry.HubMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Producer;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SetPropertyDefinition;
import org.apache.camel.support.DefaultExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the YAML routing rules (route {@code fanout-rules}, endpoint {@code direct:fanout-rules})
 * which destinations each event goes to. A rule selects destination NAME by setting the exchange
 * property {@code dest.NAME}; only destinations that are enabled are kept: those with a delivery
 * route ({@code direct:deliver-NAME}) whose {@code hub.NAME.enabled} is not false. So an integrator
 * adds a destination in YAML alone: a rule here and a route in routes/destinations/. Rules made of setProperty,
 * filter and choice are evaluated in place ({@link RuleSteps}), with Camel's own predicates; any other step makes them
 * run as the route.
 */
public final class Fanout {
    public static final String RULES_ENDPOINT = "direct:fanout-rules";
    private static final String PREFIX = "dest.";

    private static final Logger LOG = LoggerFactory.getLogger(Fanout.class);

    private final CamelContext context;
    private final Predicate<String> enabledByConfig;
    private final HubMetrics metrics;
    private final Set<String> journalFed;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    /** hub.NAME.enabled per destination name, read once: the rules name switched-off destinations on every event. */
    private final Map<String, Boolean> configured = new ConcurrentHashMap<>();
    private volatile Set<String> known;
    private volatile Set<String> enabled;
    /** Whether the rules route exists; kept, so a live reload swapping it never reads as "no rules" (direct: waits for it). */
    private volatile boolean hasRules;
    private volatile Producer producer;
    /** The rules' steps evaluated in place (RuleSteps), or null when the rules run as a route. */
    private volatile RuleSteps steps;
    private volatile String mode = "";

    public Fanout(CamelContext context, Predicate<String> enabledByConfig, HubMetrics metrics) {
        this(context, enabledByConfig, metrics, Set.of());
    }

    /**
     * @param journalFed destinations that follow the journal with a cursor (the figures the hub's own API reads):
     *                   every stored event goes to them whatever the rules say, and none gets an outbox row
     */
    public Fanout(CamelContext context, Predicate<String> enabledByConfig, HubMetrics metrics, Set<String> journalFed) {
        this.context = context;
        this.enabledByConfig = enabledByConfig;
        this.metrics = metrics;
        this.journalFed = Set.copyOf(journalFed);
    }

    /** Resolved on first use, when every route has been added. */
    private Set<String> enabled() {
        Set<String> e = enabled;
        if (e == null) {
            refresh();
            e = enabled;
        }
        return e;
    }

    /** Looks the rules route and the destination routes up again: at start, and after routes were reloaded live. */
    public synchronized void refresh() {
        Set<String> names = Set.copyOf(DestinationRoutes.names(context));
        Set<String> e = new HashSet<>();
        for (String name : names) {
            if (enabledByConfig(name)) {
                e.add(name);
            }
        }
        known = names;
        hasRules = context.getRoute("fanout-rules") != null;
        compileRules();
        enabled = e;
    }

    private void compileRules() {
        if (!hasRules) {
            steps = null;
            return;
        }
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        RuleSteps.Compiled compiled;
        try {
            compiled = RuleSteps.compile(context, model == null ? null : model.getRouteDefinition("fanout-rules"));
        } catch (RuntimeException e) {
            // the route started with these expressions, so this is unexpected; the route still chooses
            compiled = new RuleSteps.Compiled(Optional.empty(), "not compiled: " + e.getMessage());
        }
        steps = compiled.steps().orElse(null);
        String now = steps != null ? "evaluated in place" : "run as a route (" + compiled.reason() + ")";
        if (!now.equals(mode)) {
            mode = now;
            LOG.info("fan-out rules: {}", now);
        }
    }

    /** How the rules are applied: "evaluated in place" or "run as a route (why)". */
    public String mode() {
        enabled();
        return mode;
    }

    /**
     * Once the routes run: a rule that names a destination with no delivery route (a typo, or a route file
     * left out) would drop those events for it silently, so it is named at start-up.
     */
    public void checkRules() {
        enabled();
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        RouteDefinition rules = model == null ? null : model.getRouteDefinition("fanout-rules");
        if (rules == null) {
            return;
        }
        for (SetPropertyDefinition set : ProcessorDefinitionHelper.filterTypeInOutputs(rules.getOutputs(),
                SetPropertyDefinition.class)) {
            String name = set.getName();
            if (name != null && name.startsWith(PREFIX)) {
                unknown(name.substring(PREFIX.length()));
            }
        }
    }

    private boolean enabledByConfig(String name) {
        return configured.computeIfAbsent(name, enabledByConfig::test);
    }

    /** Warns once per name and counts every event it would have gone to. */
    private boolean unknown(String name) {
        if (known.contains(name) || !enabledByConfig(name)) {
            return false;   // a destination switched off by configuration has no route on purpose
        }
        if (warned.add(name)) {
            LOG.warn("fan-out rules select destination '{}', which has no route (direct:deliver-{} in routes/destinations/): "
                    + "no events are queued for it", name, name);
        }
        return true;
    }

    public Map<String, List<String>> select(List<CanonicalEvent> events) {
        Map<String, List<String>> out = new HashMap<>();
        if (events.isEmpty()) {
            return out;
        }
        enabled();   // resolves hasRules on first use
        if (!hasRules) {
            events.forEach(e -> out.put(e.id(), List.of()));
            return out;
        }
        // a tracer or debugger switched on sees the route run step by step
        RuleSteps inPlace = Boolean.TRUE.equals(context.isTracing()) || Boolean.TRUE.equals(context.isDebugging()) ? null : steps;
        Producer rules = inPlace == null ? producer() : null;
        for (CanonicalEvent event : events) {
            Exchange exchange = exchangeFor(context, event);
            try {
                if (inPlace != null) {
                    inPlace.apply(exchange);
                } else {
                    rules.process(exchange);
                }
            } catch (Exception e) {
                exchange.setException(e);
            }
            if (exchange.getException() != null) {
                throw new IllegalStateException("fan-out rules failed: " + exchange.getException().getMessage(),
                        exchange.getException());
            }
            List<String> chosen = new ArrayList<>(4);
            exchange.getProperties().forEach((k, v) -> {
                if (k.startsWith(PREFIX) && (Boolean.TRUE.equals(v) || "true".equals(v))) {
                    String name = k.substring(PREFIX.length());
                    if (journalFed.contains(name)) {
                        return;   // a rule may still name it (files written before it read the journal): it has every event
                    }
                    if (enabled().contains(name)) {
                        chosen.add(name);
                    } else if (unknown(name)) {
                        metrics.counter("hub_fanout_unknown_destination_total", "destination", name).increment();
                    }
                }
            });
            chosen.sort(null);
            out.put(event.id(), chosen);
        }
        return out;
    }

    /** The exchange the rules see for one event: its view as the body, the fields rules test most as headers. */
    static Exchange exchangeFor(CamelContext context, CanonicalEvent event) {
        Exchange exchange = new DefaultExchange(context);
        Message m = exchange.getMessage();
        m.setBody(new RoutingView(event));
        // a map lookup, where ${body.x} costs bean introspection
        m.setHeader("type", event.type().wireName());
        m.setHeader("bounceType", event.bounceTypeName());
        m.setHeader("esp", event.esp());
        m.setHeader("recipient", event.recipient());
        m.setHeader("url", event.url());
        m.setHeader("messageId", event.messageId());
        return exchange;
    }

    /** One producer for the rules route, kept: the per-event path then skips the producer cache. */
    private Producer producer() {
        Producer p = producer;
        if (p == null) {
            synchronized (this) {
                if (producer == null) {
                    try {
                        Producer created = context.getEndpoint(RULES_ENDPOINT).createProducer();
                        created.start();
                        producer = created;
                    } catch (Exception e) {
                        throw new IllegalStateException("cannot call " + RULES_ENDPOINT, e);
                    }
                }
                p = producer;
            }
        }
        return p;
    }
}
