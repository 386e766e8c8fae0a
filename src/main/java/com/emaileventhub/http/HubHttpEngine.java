package com.emaileventhub.http;

import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.Set;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * The platform-http engine with the hub's webhook gate. Camel puts the body handler first on each
 * consumer's own Vert.x route, so the gate lives on a route of its own, ordered before all of them,
 * on the router the consumers use; it is added when the first consumer is created (the server and
 * its router exist by then), with a last route that answers what no route took (Unrouted). Webhook
 * consumers get their processor wrapped by the gate.
 */
public final class HubHttpEngine extends VertxPlatformHttpEngine {
    /** Ahead of every route a consumer adds (those take orders 0, 1, 2, ...). */
    private static final int GATE_ORDER = -1_000;

    private final WebhookGate gate;
    private final EdgeOutcomes outcomes;
    private Router installedOn;

    HubHttpEngine(WebhookGate gate, EdgeOutcomes outcomes) {
        this.gate = gate;
        this.outcomes = outcomes;
        setHandlers(List.of(gate::dispatched));
    }

    @Override
    public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
        install();
        boolean webhook = endpoint.getPath() != null && endpoint.getPath().startsWith(WebhookGate.PREFIX);
        return super.createConsumer(endpoint, webhook ? gate.guard(processor) : processor);
    }

    private synchronized void install() {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(getCamelContext(),
                VertxPlatformHttpRouter.getRouterNameFromPort(getServerPort()));
        if (router == null) {
            router = VertxPlatformHttpRouter.lookup(getCamelContext(), VertxPlatformHttpRouter.PLATFORM_HTTP_ROUTER_NAME_ZERO);
        }
        if (router == null || router == installedOn) {
            return;
        }
        PlatformHttpComponent component = getCamelContext().getComponent("platform-http", PlatformHttpComponent.class);
        gate.knownVendor(vendor -> component.getHttpEndpoints().stream()
                .anyMatch(e -> (WebhookGate.PREFIX + vendor).equals(e.getUri())));
        Route gateRoute = router.route(WebhookGate.PREFIX + "*").order(GATE_ORDER).handler(gate::admit).failureHandler(gate::failed);
        Route last = router.route().order(Unrouted.ORDER);
        last.handler(new Unrouted(router, Set.of(gateRoute, last), component::getHttpEndpoints, outcomes)::handle);
        installedOn = router;
    }
}
