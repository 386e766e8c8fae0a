package com.emaileventhub.intake;

import com.emaileventhub.event.CanonicalEvent;
import java.util.ArrayList;
import com.emaileventhub.destination.DeliveryEngine;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultExchange;

/**
 * Asks the YAML routing rules (route {@code fanout-rules}, endpoint {@code direct:fanout-rules})
 * which destinations each event goes to. A rule selects destination NAME by setting the exchange
 * property {@code dest.NAME}; only destinations that are enabled are kept: those with a delivery
 * route ({@code direct:deliver-NAME}) whose {@code hub.NAME.enabled} is not false. So an integrator
 * adds a destination in YAML alone: a rule here and a route in routes/destinations/.
 */
public final class Fanout {
    public static final String RULES_ENDPOINT = "direct:fanout-rules";
    private static final String PREFIX = "dest.";

    private final CamelContext context;
    private final Predicate<String> enabledByConfig;
    private volatile Set<String> enabled;
    private volatile Producer producer;

    public Fanout(CamelContext context, Predicate<String> enabledByConfig) {
        this.context = context;
        this.enabledByConfig = enabledByConfig;
    }

    /** Resolved on first use, when every route has been added. */
    private Set<String> enabled() {
        Set<String> e = enabled;
        if (e == null) {
            e = new HashSet<>();
            for (String name : DeliveryEngine.destinations(context)) {
                if (enabledByConfig.test(name)) {
                    e.add(name);
                }
            }
            enabled = e;
        }
        return e;
    }

    public Map<String, List<String>> select(List<CanonicalEvent> events) {
        Map<String, List<String>> out = new HashMap<>();
        if (events.isEmpty() || context.getRoute("fanout-rules") == null) {
            return out;
        }
        Producer rules = producer();
        for (CanonicalEvent event : events) {
            Exchange exchange = new DefaultExchange(context);
            Message m = exchange.getMessage();
            m.setBody(new RoutingView(event));
            // the fields rules test most, as headers: a map lookup, where ${body.x} costs bean introspection
            m.setHeader("type", event.type().wireName());
            m.setHeader("bounceType", event.bounceTypeName());
            m.setHeader("esp", event.esp());
            m.setHeader("recipient", event.recipient());
            m.setHeader("url", event.url());
            m.setHeader("messageId", event.messageId());
            try {
                rules.process(exchange);
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
                    if (enabled().contains(name)) {
                        chosen.add(name);
                    }
                }
            });
            chosen.sort(null);
            out.put(event.id(), chosen);
        }
        return out;
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
