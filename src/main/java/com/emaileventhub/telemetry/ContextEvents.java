package com.emaileventhub.telemetry;

import java.util.Set;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * A Camel event notifier for the CamelContext's own life (started, stopping) that tells Camel it wants no exchange,
 * route, step or service events. A notifier that does not say so makes Camel create an event object for every exchange
 * of every route (the intake's, each fan-out evaluation, each delivery) and ask the notifier about it: measured, a
 * visible share of the fan-out rules' cost per event (docs/benchmarks.md).
 */
public final class ContextEvents extends EventNotifierSupport {
    /** What to do on an event of the context's life. */
    @FunctionalInterface
    public interface Handler {
        void on(CamelEvent event) throws Exception;
    }

    private final Set<Class<? extends CamelEvent>> types;
    private final Handler handler;

    private ContextEvents(Set<Class<? extends CamelEvent>> types, Handler handler) {
        this.types = Set.copyOf(types);
        this.handler = handler;
        setupIgnore(true);   // every exchange and step event
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreCamelContextInitEvents(true);
    }

    /** Calls the handler on each event of the given types, which are CamelContext events. */
    public static ContextEvents on(Set<Class<? extends CamelEvent>> types, Handler handler) {
        return new ContextEvents(types, handler);
    }

    @Override
    public void notify(CamelEvent event) throws Exception {
        handler.on(event);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        for (Class<? extends CamelEvent> type : types) {
            if (type.isInstance(event)) {
                return true;
            }
        }
        return false;
    }
}
