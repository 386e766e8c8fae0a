package com.emaileventhub.http;

import com.emaileventhub.config.HubConfig;
import com.emaileventhub.telemetry.ContextEvents;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import java.util.Set;
import java.util.function.BiConsumer;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.spi.CamelEvent;

/**
 * The HTTP edge of the hub: the Vert.x server's worker pool and TLS, and the webhook gate in front
 * of every /webhooks/* route (allow-lists, HTTPS-only, load shedding, deadlines, JSON refusals), and the
 * JSON 404 / 405 of a request no route takes.
 * Knows nothing about vendors beyond the path segment and the hub.esp.NAME.allowed-ips key.
 */
public final class HttpEdge {
    private final EdgeSettings settings;
    private final TlsServer tls;
    private WebhookGate gate;

    /**
     * Reads and checks the keys (and the TLS files) before anything else starts.
     * @throws IllegalArgumentException naming the key of an invalid value (start-up stops)
     */
    public HttpEdge(HubConfig config) {
        this.settings = new EdgeSettings(config);
        this.tls = settings.tls() ? new TlsServer(settings) : null;
    }

    /** Registry beans Camel picks up when it creates the server: the engine with the gate, the worker pool size. */
    public void bind(BiConsumer<String, Object> registry, EdgeOutcomes outcomes) {
        this.gate = new WebhookGate(settings, outcomes);
        registry.accept("platform-http-engine", new HubHttpEngine(gate, outcomes));
        registry.accept("vertxOptions", new VertxOptions().setWorkerPoolSize(settings.workerThreads));
    }

    /** After camel-main configured the context, before it starts. */
    public void attach(CamelContext context) {
        if (tls == null) {
            return;
        }
        MainHttpServer server = context.hasService(MainHttpServer.class);
        if (server == null) {
            throw new IllegalStateException("hub.http.tls.* is set but there is no HTTP server (camel.server.enabled)");
        }
        server.setSslContextParameters(tls.initialParameters());
        context.getManagementStrategy().addEventNotifier(ContextEvents.on(
                Set.of(CamelEvent.CamelContextStartedEvent.class, CamelEvent.CamelContextStoppingEvent.class), event -> {
                    if (event instanceof CamelEvent.CamelContextStartedEvent) {
                        tls.started(context, () -> httpServer(context));
                    } else {
                        tls.stop(context);
                    }
                }));
    }

    /** Webhook requests admitted and not finished: at hub.http.max-concurrent-requests the hub sheds load. */
    public int inFlight() {
        return gate == null ? 0 : gate.inFlight();
    }

    /** At the limit: the next webhook request is answered 503 (readiness reports it). */
    public boolean isShedding() {
        return inFlight() >= settings.maxConcurrentRequests;
    }

    public int maxConcurrentRequests() {
        return settings.maxConcurrentRequests;
    }

    private static HttpServer httpServer(CamelContext context) {
        VertxPlatformHttpServer server = context.hasService(VertxPlatformHttpServer.class);
        return server == null ? null : server.getServer();
    }
}
