package com.emaileventhub.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.support.HubRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.EventNotifier;
import org.apache.camel.support.EventNotifierSupport;
import org.junit.jupiter.api.Test;

/**
 * What Camel does for every exchange of every route (each webhook, each fan-out evaluation, each delivery) on top of
 * the route's own steps: the profile found event objects built for notifiers that only wanted the context's start,
 * and a stream-cache check per fan-out evaluation (docs/benchmarks.md, "Per-exchange overhead").
 */
class PerExchangeOverheadTest {

    @Test
    void no_event_notifier_of_a_running_hub_asks_for_exchange_events() {
        try (HubRunner hub = HubRunner.start(Map.of())) {
            CamelContext context = hub.hub().context();
            List<EventNotifier> notifiers = context.getManagementStrategy().getEventNotifiers();
            assertThat(notifiers).isNotEmpty();
            assertThat(notifiers).allSatisfy(n -> assertThat(n.isIgnoreExchangeEvents())
                    .as("%s ignores exchange events", n.getClass().getName()).isTrue());
        }
    }

    @Test
    void the_fan_out_rules_route_does_not_stream_cache_its_view_of_the_event() {
        try (HubRunner hub = HubRunner.start(Map.of())) {
            assertThat(hub.hub().context().getRoute("fanout-rules").isStreamCaching()).isFalse();
        }
    }

    @Test
    void a_context_notifier_is_called_for_its_types_only() throws Exception {
        List<CamelEvent> seen = new ArrayList<>();
        ContextEvents notifier = ContextEvents.on(Set.of(CamelEvent.CamelContextStartedEvent.class), seen::add);
        assertThat(notifier.isIgnoreExchangeEvents()).isTrue();
        assertThat(notifier.isIgnoreRouteEvents()).isTrue();
        assertThat(notifier.isIgnoreStepEvents()).isTrue();
        assertThat(notifier.isIgnoreCamelContextEvents()).isFalse();
        try (HubRunner hub = HubRunner.start(Map.of())) {
            CamelContext context = hub.hub().context();
            CamelEvent started = context.getManagementStrategy().getEventFactory().createCamelContextStartedEvent(context);
            CamelEvent stopping = context.getManagementStrategy().getEventFactory().createCamelContextStoppingEvent(context);
            assertThat(notifier.isEnabled(started)).isTrue();
            assertThat(notifier.isEnabled(stopping)).isFalse();
            notifier.notify(started);
            assertThat(seen).containsExactly(started);
        }
        assertThat(EventNotifierSupport.class).isAssignableFrom(ContextEvents.class);
    }
}
