package com.emaileventhub.intake;

import com.emaileventhub.event.CanonicalEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;

/**
 * Asks the YAML routing rules (route {@code fanout-rules}, endpoint {@code direct:fanout-rules})
 * which destinations each event goes to. A rule selects destination NAME by setting the exchange
 * property {@code dest.NAME}; only destinations that are enabled are kept.
 */
public final class Fanout {
    public static final String RULES_ENDPOINT = "direct:fanout-rules";
    private static final String PREFIX = "dest.";

    private final CamelContext context;
    private final Set<String> enabled;
    private ProducerTemplate template;

    public Fanout(CamelContext context, Set<String> enabledDestinations) {
        this.context = context;
        this.enabled = enabledDestinations;
    }

    public Map<String, List<String>> select(List<CanonicalEvent> events) {
        Map<String, List<String>> out = new HashMap<>();
        if (events.isEmpty() || context.getRoute("fanout-rules") == null) {
            return out;
        }
        for (CanonicalEvent event : events) {
            Exchange exchange = new DefaultExchange(context);
            exchange.getMessage().setBody(event);
            Exchange result = template().send(RULES_ENDPOINT, exchange);
            if (result.getException() != null) {
                throw new IllegalStateException("fan-out rules failed: " + result.getException().getMessage(),
                        result.getException());
            }
            List<String> chosen = new ArrayList<>();
            result.getProperties().forEach((k, v) -> {
                if (k.startsWith(PREFIX) && Boolean.TRUE.equals(context.getTypeConverter().convertTo(Boolean.class, v))) {
                    String name = k.substring(PREFIX.length());
                    if (enabled.contains(name)) {
                        chosen.add(name);
                    }
                }
            });
            chosen.sort(null);
            out.put(event.id(), chosen);
        }
        return out;
    }

    private ProducerTemplate template() {
        if (template == null) {
            template = context.createProducerTemplate();
        }
        return template;
    }
}
