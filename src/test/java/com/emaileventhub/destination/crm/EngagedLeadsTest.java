package com.emaileventhub.destination.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.emaileventhub.Hub;
import com.emaileventhub.destination.DeliveryFixtures;
import com.emaileventhub.destination.alert.FakeChannels;
import com.emaileventhub.destination.lead.LeadScoring;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.event.Json;
import com.emaileventhub.store.DeliveryQueue;
import com.emaileventhub.support.TestDatabases;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
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
 * Engaged leads on each database: scores from human clicks, Salesforce Tasks against the fake Salesforce at the
 * HTTP level (camel-salesforce's real calls), and the Slack-compatible notification.
 */
@ParameterizedClass
@EnumSource(TestDatabases.Kind.class)
class EngagedLeadsTest {
    @Parameter
    TestDatabases.Kind kind;
    private FakeSalesforce salesforce;
    private FakeChannels notify;
    private DeliveryFixtures.Running running;
    private Hub hub;
    private final Instant base = Instant.now().minus(2, ChronoUnit.HOURS);

    @BeforeEach
    void start() throws Exception {
        salesforce = new FakeSalesforce();
        salesforce.with("Contact", "ann@example.com", "003A").with("Lead", "lee@example.com", "00QL");
        notify = new FakeChannels();
        running = DeliveryFixtures.startOn(kind, "hub.crm.enabled=true",
                "camel.component.salesforce.loginUrl=" + salesforce.url(),
                "camel.component.salesforce.authenticationType=CLIENT_CREDENTIALS",
                "camel.component.salesforce.clientId=test-client", "camel.component.salesforce.clientSecret=test-secret",
                "hub.leads.notify-url=" + notify.url("/slack"));
        hub = running.hub();
    }

    @AfterEach
    void stop() throws Exception {
        running.close();
        salesforce.close();
        notify.close();
    }

    @Test
    void crossing_the_threshold_creates_exactly_one_task_even_when_the_first_answer_is_lost() {
        salesforce.loseUpsertAnswers(1);   // the Task is written, the answer lost: the retry must not add one
        score(click("ann@example.com", "m1", "https://shop.test/a?utm=1", 0, false),
                click("ann@example.com", "m1", "https://shop.test/a?utm=2", 1, false),   // same link: counts once
                click("ann@example.com", "m1", "https://shop.test/b", 2, false),
                click("ann@example.com", "m2", "https://shop.test/a", 3, false));
        await().atMost(60, TimeUnit.SECONDS).until(() -> backlog(LeadScoring.CRM) == 0 && salesforce.upsertCalls() >= 2);
        assertThat(salesforce.upserted()).hasSize(1);
        String key = salesforce.upserted().keySet().iterator().next();
        assertThat(key).startsWith("Task/Email_Hub_Signal_Id__c/");
        JsonNode task = salesforce.upserted().get(key);
        assertThat(task.path("WhoId").asText()).isEqualTo("003A");
        assertThat(task.path("Subject").asText()).isEqualTo("Engaged email lead: 3 clicks in 30 days");
        assertThat(task.path("Priority").asText()).isEqualTo("High");
        assertThat(task.path("Status").asText()).isEqualTo("Not Started");
        assertThat(task.path("ActivityDate").asText())
                .isEqualTo(LocalDate.now(ZoneOffset.UTC).plusDays(1).toString());

        await().atMost(30, TimeUnit.SECONDS).until(() -> notify.at("/slack").size() == 1);
        assertThat(notify.at("/slack").get(0).body().path("text").asText())
                .contains("ann@example.com", "score 9", "https://shop.test/a", "https://shop.test/b");

        // more clicks within the cooldown: no second signal
        score(click("ann@example.com", "m3", "https://shop.test/c", 4, false));
        JsonNode leads = api("/api/leads");
        assertThat(leads.path("leads")).hasSize(1);
        assertThat(leads.path("leads").get(0).path("recipient").asText()).isEqualTo("ann@example.com");
        assertThat(leads.path("leads").get(0).path("score").asInt()).isEqualTo(9);
        assertThat(leads.path("leads").get(0).path("links")).hasSize(2);
        assertThat(salesforce.upserted()).hasSize(1);
    }

    @Test
    void a_machine_only_clicker_gets_no_task() {
        List<CanonicalEvent> clicks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            clicks.add(click("ann@example.com", "m1", "https://shop.test/" + i, i, true));
        }
        score(clicks.toArray(CanonicalEvent[]::new));
        assertThat(api("/api/leads").path("leads")).isEmpty();
        assertThat(salesforce.upsertCalls()).isZero();
        assertThat(backlog(LeadScoring.CRM)).isZero();
    }

    @Test
    void an_unsubscribe_restarts_the_score_from_zero() {
        score(click("lee@example.com", "m1", "https://shop.test/a", 0, false),
                click("lee@example.com", "m1", "https://shop.test/b", 1, false));
        score(event("lee@example.com", "m1", EventType.UNSUBSCRIBED, 2));
        score(click("lee@example.com", "m2", "https://shop.test/a", 3, false),
                click("lee@example.com", "m2", "https://shop.test/b", 4, false));
        assertThat(api("/api/leads").path("leads")).isEmpty();   // 6 after the reset, not 12
        score(click("lee@example.com", "m2", "https://shop.test/c", 5, false));
        await().atMost(60, TimeUnit.SECONDS).until(() -> salesforce.upserted().size() == 1 && backlog(LeadScoring.CRM) == 0);
        assertThat(salesforce.upserted().values().iterator().next().path("WhoId").asText()).isEqualTo("00QL");
        assertThat(api("/api/leads").path("leads").get(0).path("score").asInt()).isEqualTo(9);
    }

    /** Queues the events for the leads destination as the fan-out does, and waits until they are scored. */
    private void score(CanonicalEvent... events) {
        DeliveryFixtures.store(hub.database(), List.of(events), "leads");
        await().atMost(30, TimeUnit.SECONDS).until(() -> backlog("leads") == 0);
    }

    private long backlog(String destination) {
        return new DeliveryQueue(hub.database()).backlog(destination).pending();
    }

    private JsonNode api(String path) {
        return DeliveryFixtures.json(hub, path);
    }

    private CanonicalEvent click(String recipient, String message, String url, int minute, boolean machine) {
        CanonicalEvent.Builder b = CanonicalEvent.builder("postmark").type(EventType.CLICKED).recipient(recipient)
                .messageId(message).url(url).occurredAt(base.plus(minute, ChronoUnit.MINUTES));
        if (machine) {
            b.machine("link scanner");
        }
        return b.build(base, base);
    }

    private CanonicalEvent event(String recipient, String message, EventType type, int minute) {
        return CanonicalEvent.builder("postmark").type(type).recipient(recipient).messageId(message)
                .occurredAt(base.plus(minute, ChronoUnit.MINUTES)).build(base, base);
    }
}
