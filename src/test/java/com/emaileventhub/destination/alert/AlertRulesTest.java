package com.emaileventhub.destination.alert;

import com.emaileventhub.support.Figures;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.emaileventhub.Hub;
import com.emaileventhub.destination.DeliveryFixtures;
import com.emaileventhub.event.BounceType;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.event.Json;
import com.emaileventhub.store.AlertStore.Change;
import com.emaileventhub.store.DeliveryQueue;
import com.emaileventhub.support.Metrics;
import com.emaileventhub.support.TestDatabases;
import com.emaileventhub.verify.StandardWebhooks;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The default alert rules against a real hub on each database, channels faked over HTTP. Time is driven by
 * calling the engine with an explicit evaluation instant (the timer's interval is an hour, so it never runs).
 */
@ParameterizedClass
@EnumSource(TestDatabases.Kind.class)
class AlertRulesTest {
    static final Instant T = Instant.parse("2026-03-10T12:07:30Z");

    @Parameter
    TestDatabases.Kind kind;
    private FakeChannels channels;
    private DeliveryFixtures.Running running;
    private Hub hub;

    @BeforeEach
    void start() throws Exception {
        channels = new FakeChannels();
        channels.failFirst.get("/slack").set(1);   // Slack is down once: the notification is retried
        running = DeliveryFixtures.startOn(kind, channels.overrides());
        hub = running.hub();
    }

    @AfterEach
    void stop() {
        running.close();
        channels.close();
    }

    @Test
    void a_burst_of_hard_bounces_fires_once_with_its_numerator_and_denominator_then_resolves_after_the_window() {
        List<CanonicalEvent> events = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Instant at = T.minus(Duration.ofMinutes(50)).plusSeconds(i);
            boolean hard = i < 71;
            events.add(event("sendgrid", "u" + i + "@example.com", "sg-" + i, hard ? EventType.BOUNCED
                    : EventType.DELIVERED, hard ? BounceType.HARD : null, at));
        }
        for (int i = 0; i < 300; i++) {   // another ESP, healthy
            events.add(event("mailgun", "v" + i + "@example.com", "mg-" + i, EventType.DELIVERED, null,
                    T.minus(Duration.ofMinutes(40))));
        }
        storeFigures(events);

        List<Change> fired = evaluate(T);
        assertThat(fired).hasSize(1);
        JsonNode alert = Json.MAPPER.valueToTree(AlertLifecycle.json(fired.get(0).alert()));
        assertThat(alert.path("rule").asText()).isEqualTo("hard-bounce-rate");
        assertThat(alert.path("severity").asText()).isEqualTo("critical");
        assertThat(alert.path("numerator").asLong()).isEqualTo(71);
        assertThat(alert.path("denominator").asLong()).isEqualTo(1000);
        assertThat(alert.path("value").asDouble()).isEqualTo(0.071);
        assertThat(alert.path("dedup_key").asText()).isEqualTo("hard-bounce-rate:esp=sendgrid");
        assertThat(alert.path("group").toString()).isEqualTo("{\"esp\":\"sendgrid\"}");

        awaitAll(1);
        JsonNode slack = channels.at("/slack").get(0).body();
        assertThat(slack.path("text").asText()).contains("FIRING (critical)", "hard-bounce-rate", "71/1000");
        JsonNode pd = channels.at("/pagerduty").get(0).body();
        assertThat(pd.path("event_action").asText()).isEqualTo("trigger");
        assertThat(pd.path("routing_key").asText()).isEqualTo("R0UT1NGKEY");
        assertThat(pd.path("dedup_key").asText()).isEqualTo("hard-bounce-rate:esp=sendgrid");
        assertThat(pd.path("payload").path("severity").asText()).isEqualTo("critical");
        FakeChannels.Request hook = channels.at("/webhook").get(0);
        assertThat(hook.body().path("numerator").asLong()).isEqualTo(71);
        assertThat(hook.header("webhook-signature")).isEqualTo(StandardWebhooks.sign(FakeChannels.SECRET,
                hook.header("webhook-id"), hook.header("webhook-timestamp"), hook.raw().getBytes(StandardCharsets.UTF_8)));

        assertThat(Metrics.value(DeliveryFixtures.call(hub, "GET", "/observe/metrics").body(),
                "hub_alerts_firing{rule=\"hard-bounce-rate\"}")).isEqualTo(1.0);
        // the same burst a minute later, then the window passing: nothing new until resolve-after has gone by
        assertThat(evaluate(T.plus(Duration.ofMinutes(1)))).isEmpty();
        assertThat(evaluate(T.plus(Duration.ofHours(24)))).isEmpty();
        assertThat(api("/api/alerts?status=firing").path("alerts")).hasSize(1);
        List<Change> resolved = evaluate(T.plus(Duration.ofHours(25)));
        assertThat(resolved).extracting(Change::action).containsExactly(AlertLifecycle.RESOLVE);
        awaitAll(2);
        assertThat(channels.at("/pagerduty").get(1).body().path("event_action").asText()).isEqualTo("resolve");
        assertThat(channels.at("/slack").get(1).body().path("text").asText()).startsWith("[email-event-hub] RESOLVED");
        assertThat(channels.at("/webhook").get(1).body().path("status").asText()).isEqualTo("resolved");
        assertThat(api("/api/alerts?status=firing").path("alerts")).isEmpty();
        JsonNode listed = api("/api/alerts?status=resolved").path("alerts");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).path("dedup_key").asText()).isEqualTo("hard-bounce-rate:esp=sendgrid");
        assertThat(listed.get(0).path("started_at").asText()).isEqualTo("2026-03-10T12:07:30.000Z");

        String metrics = DeliveryFixtures.call(hub, "GET", "/observe/metrics").body();
        assertThat(Metrics.value(metrics, "hub_alert_notifications_total{action=\"trigger\",rule=\"hard-bounce-rate\"}"))
                .isEqualTo(1.0);
        assertThat(Metrics.value(metrics, "hub_alert_notifications_total{action=\"resolve\",rule=\"hard-bounce-rate\"}"))
                .isEqualTo(1.0);
        assertThat(Metrics.exported(metrics, "hub_alerts_firing")).isTrue();
        assertThat(Metrics.value(metrics, "hub_alerts_firing{rule=\"hard-bounce-rate\"}")).isEqualTo(0.0);
    }

    @Test
    void complaints_fire_per_mailbox_provider() {
        List<CanonicalEvent> events = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            Instant at = T.minus(Duration.ofHours(3)).plusSeconds(i);
            events.add(event("sendgrid", "g" + i + "@gmail.com", "g-" + i, EventType.DELIVERED, null, at));
            events.add(event("sendgrid", "y" + i + "@yahoo.com", "y-" + i, EventType.DELIVERED, null, at));
        }
        events.add(event("sendgrid", "g7@gmail.com", "g-7", EventType.COMPLAINED, null, T.minus(Duration.ofMinutes(30))));
        storeFigures(events);

        List<Change> fired = evaluate(T);
        assertThat(fired).hasSize(1);
        assertThat(fired.get(0).alert().dedupKey()).isEqualTo("complaint-rate:esp=sendgrid,mailbox_provider=gmail");
        assertThat(fired.get(0).alert().numerator()).isEqualTo(1);
        assertThat(fired.get(0).alert().denominator()).isEqualTo(600);
        assertThat(fired.get(0).alert().severity()).isEqualTo("critical");
        awaitAll(1);
        assertThat(channels.at("/pagerduty").get(0).body().path("dedup_key").asText())
                .isEqualTo("complaint-rate:esp=sendgrid,mailbox_provider=gmail");
    }

    @Test
    void a_click_burst_on_one_message_fires_warning_and_escalates_when_it_grows() {
        List<CanonicalEvent> events = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            CanonicalEvent.Builder b = CanonicalEvent.builder("postmark").type(EventType.CLICKED)
                    .recipient("r" + (i % 40) + "@example.com").messageId("viral").url("https://x.test/p?i=" + i)
                    .occurredAt(T.minusSeconds(300).plusMillis(i * 100L));
            if (i % 5 == 0) {
                b.machine("scanner user agent");
            }
            events.add(b.build(T.minusSeconds(300), T));
        }
        for (int i = 0; i < 50; i++) {
            events.add(event("postmark", "q" + i + "@example.com", "quiet", EventType.CLICKED, null, T.minusSeconds(60)));
        }
        storeFigures(events);

        List<Change> fired = evaluate(T);
        assertThat(fired).extracting(c -> c.alert().dedupKey()).containsExactly("click-burst:message_id=viral");
        assertThat(fired.get(0).alert().value()).isEqualTo(250);
        assertThat(fired.get(0).alert().severity()).isEqualTo("warning");
        awaitAll(1);
        assertThat(channels.at("/slack").get(0).body().path("text").asText()).contains("click-burst", "viral");
    }

    @Test
    void an_esp_silent_for_ninety_minutes_fires_webhook_silence() {
        storeFigures(List.of(event("brevo", "a@example.com", "b-1", EventType.DELIVERED, null,
                T.minus(Duration.ofMinutes(90)))));
        List<Change> fired = evaluate(T);
        assertThat(fired).extracting(c -> c.alert().dedupKey()).containsExactly("webhook-silence:esp=brevo");
        assertThat(fired.get(0).alert().value()).isEqualTo(90.0);
        assertThat(fired.get(0).alert().severity()).isEqualTo("warning");
        assertThat(fired.get(0).alert().window()).isNull();
    }

    private List<Change> evaluate(Instant at) {
        return hub.context().getRegistry().lookupByNameAndType("alertEngine", AlertEngine.class).evaluate(at);
    }

    private JsonNode api(String path) {
        return DeliveryFixtures.json(hub, path);
    }

    private void awaitAll(int n) {
        await().atMost(30, TimeUnit.SECONDS).until(() -> FakeChannels.PATHS.stream()
                .allMatch(p -> channels.at(p).size() >= n));
        assertThat(FakeChannels.PATHS).allSatisfy(p -> assertThat(channels.at(p)).hasSize(n));
    }

    /** Stores the events as intake would and waits until the insight destination has counted them. */
    private void storeFigures(List<CanonicalEvent> events) {
        DeliveryFixtures.store(hub.database(), events);
        DeliveryQueue queue = new DeliveryQueue(hub.database());
        await().atMost(60, TimeUnit.SECONDS).until(() -> Figures.counted(hub.database()));
    }

    static CanonicalEvent event(String esp, String recipient, String messageId, EventType type, BounceType bounce,
                                Instant at) {
        return CanonicalEvent.builder(esp).type(type).bounceType(bounce).recipient(recipient).messageId(messageId)
                .occurredAt(at).build(at, at);
    }
}
