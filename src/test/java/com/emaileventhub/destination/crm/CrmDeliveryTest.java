package com.emaileventhub.destination.crm;

import static com.emaileventhub.destination.analytics.DestinationTestHub.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.Hub;
import com.emaileventhub.destination.Delivery;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.store.Journal;
import com.emaileventhub.support.HubRunner;
import com.emaileventhub.support.TestDatabases;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The CRM destination against a fake Salesforce, counting from the journal of each database. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ParameterizedClass
@EnumSource(TestDatabases.Kind.class)
class CrmDeliveryTest {
    private static final Instant T0 = Instant.parse("2026-03-04T12:00:00.000Z");

    private FakeSalesforce salesforce;
    private Hub hub;
    private ProducerTemplate template;
    private Journal journal;
    private CrmDelivery crm;
    private String run;
    @Parameter
    TestDatabases.Kind kind;
    private String dbUrl;

    @BeforeParameterizedClassInvocation
    void start() throws Exception {
        salesforce = new FakeSalesforce();
        dbUrl = kind.freshUrl();
        hub = HubRunner.start(Map.of("hub.db.url", dbUrl,
                "hub.crm.enabled", "true",
                "hub.crm.limit-backoff", "PT45M",
                "camel.component.salesforce.loginUrl", salesforce.url(),
                "camel.component.salesforce.authenticationType", "CLIENT_CREDENTIALS",
                "camel.component.salesforce.clientId", "test-client",
                "camel.component.salesforce.clientSecret", "test-secret")).hub();
        template = hub.context().createProducerTemplate();
        journal = new Journal(hub.database());
        crm = hub.context().getRegistry().lookupByNameAndType("crmDelivery", CrmDelivery.class);
    }

    @AfterParameterizedClassInvocation
    void stop() {
        hub.close();
        salesforce.close();
        TestDatabases.drop(dbUrl);
    }

    @BeforeEach
    void reset() {
        salesforce.reset();
        run = UUID.randomUUID().toString().substring(0, 8);   // fresh recipients: the lookup cache outlives a test
    }

    @Test
    void looks_up_all_recipients_in_one_query_and_writes_one_record_each_in_one_call() {
        salesforce.with("Contact", email("ann"), "003A").with("Contact", email("bob"), "003B").with("Contact", email("cy"), "003C");
        List<CanonicalEvent> events = stored(
                event(EventType.OPENED, email("ann"), T0), event(EventType.OPENED, email("ann"), T0.plusSeconds(60)),
                event(EventType.CLICKED, email("ann"), T0.plusSeconds(70)), event(EventType.OPENED, email("bob"), T0),
                event(EventType.CLICKED, email("bob"), T0.plusSeconds(5)), event(EventType.OPENED, email("cy"), T0));
        long callsBefore = crm.apiCalls();

        Exchange result = deliver(events);

        assertThat(result.getException()).isNull();
        assertThat(salesforce.queries()).hasSize(1);
        assertThat(salesforce.queries().get(0)).startsWith("SELECT Id, Email FROM Contact WHERE Email IN (")
                .contains(email("ann"), email("bob"), email("cy"));
        assertThat(salesforce.updates()).hasSize(1);
        FakeSalesforce.Update update = salesforce.updates().get(0);
        assertThat(update.allOrNone()).isFalse();
        assertThat(update.records()).extracting(r -> r.get("Id").asText()).containsExactlyInAnyOrder("003A", "003B", "003C");
        assertThat(update.records()).allSatisfy(r -> assertThat(r.get("attributes").get("type").asText()).isEqualTo("Contact"));
        assertThat(crm.apiCalls() - callsBefore).isEqualTo(2);
        assertThat(salesforce.field("003A", "Email_Opens__c").asLong()).isEqualTo(2);
        assertThat(salesforce.field("003A", "Email_Clicks__c").asLong()).isEqualTo(1);
        assertThat(salesforce.field("003A", "Email_Last_Opened__c").asText()).isEqualTo("2026-03-04T12:01:00.000Z");
        assertThat(salesforce.field("003A", "Email_Last_Event__c").asText()).isEqualTo("clicked");
        assertThat(salesforce.field("003A", "Email_Last_Event_At__c").asText()).isEqualTo("2026-03-04T12:01:10.000Z");
        // the org's usage as Salesforce reported it on the last answer (the fake counts this test's query and update)
        assertThat(gauge("hub_crm_api_usage_used")).isEqualTo(2);
        assertThat(gauge("hub_crm_api_usage_limit")).isEqualTo(15000);
    }

    @Test
    void one_address_in_several_cases_and_types_in_one_batch_is_looked_up_once_and_written_once() {
        salesforce.with("Contact", email("sam"), "003S");
        String upper = email("sam").toUpperCase(Locale.ROOT);
        String capital = "Sam" + email("sam").substring(3);
        Exchange result = deliver(stored(
                event(EventType.DELIVERED, capital, T0), event(EventType.OPENED, upper, T0.plusSeconds(10)),
                event(EventType.CLICKED, email("sam"), T0.plusSeconds(20)), event(EventType.OPENED, capital, T0.plusSeconds(30)),
                event(EventType.UNSUBSCRIBED, upper, T0.plusSeconds(40)), event(EventType.BOUNCED, capital, T0.plusSeconds(50)),
                event(EventType.OPENED, email("sam"), T0.plusSeconds(60))));

        assertThat(result.getException()).isNull();
        assertThat(result.getProperty(Delivery.RETRY)).isNull();
        assertThat(salesforce.queries()).hasSize(1);
        assertThat(salesforce.queries().get(0)).contains("'" + email("sam") + "'").doesNotContain(upper).doesNotContain(capital);
        assertThat(salesforce.updates()).hasSize(1);
        assertThat(salesforce.updates().get(0).records()).extracting(r -> r.get("Id").asText()).containsExactly("003S");
        assertThat(salesforce.field("003S", "Email_Opens__c").asLong()).isEqualTo(3);
        assertThat(salesforce.field("003S", "Email_Clicks__c").asLong()).isEqualTo(1);
        assertThat(salesforce.field("003S", "Email_Last_Opened__c").asText()).isEqualTo("2026-03-04T12:01:00.000Z");
        assertThat(salesforce.field("003S", "HasOptedOutOfEmail").asBoolean()).isTrue();
        assertThat(salesforce.field("003S", "EmailBouncedDate").asText()).isEqualTo("2026-03-04T12:00:50.000Z");
    }

    @Test
    void a_recipient_seen_before_needs_no_second_query() {
        salesforce.with("Contact", email("dan"), "003D");
        deliver(stored(event(EventType.OPENED, email("dan"), T0)));
        salesforce.reset();

        Exchange result = deliver(stored(event(EventType.CLICKED, email("dan"), T0.plusSeconds(30))));

        assertThat(result.getException()).isNull();
        assertThat(salesforce.queries()).isEmpty();
        assertThat(salesforce.updates()).hasSize(1);
        assertThat(salesforce.field("003D", "Email_Clicks__c").asLong()).isEqualTo(1);
    }

    @Test
    void a_contact_wins_over_a_lead_and_only_the_rest_is_looked_up_among_leads() {
        salesforce.with("Contact", email("eve"), "003E").with("Lead", email("eve"), "00QE").with("Lead", email("fay"), "00QF");

        Exchange result = deliver(stored(event(EventType.OPENED, email("eve"), T0), event(EventType.OPENED, email("fay"), T0)));

        assertThat(result.getException()).isNull();
        assertThat(salesforce.queries()).hasSize(2);
        assertThat(salesforce.queries().get(1)).startsWith("SELECT Id, Email FROM Lead WHERE (IsConverted = false) AND Email IN (")
                .contains(email("fay")).doesNotContain(email("eve"));
        assertThat(salesforce.updates()).hasSize(1);
        assertThat(salesforce.updates().get(0).records())
                .extracting(r -> r.get("attributes").get("type").asText() + "/" + r.get("Id").asText())
                .containsExactly("Contact/003E", "Lead/00QF");
    }

    @Test
    void counts_and_latest_times_come_from_the_journal_so_replays_and_late_events_leave_them_right() {
        salesforce.with("Contact", email("gus"), "003G");
        // three opens and a click already delivered earlier; a late open (occurred before them) arrives now
        stored(event(EventType.OPENED, email("gus"), T0.plusSeconds(100)), event(EventType.OPENED, email("gus"), T0.plusSeconds(200)),
                event(EventType.OPENED, email("gus"), T0.plusSeconds(300)), event(EventType.CLICKED, email("gus"), T0.plusSeconds(250)));
        List<CanonicalEvent> late = stored(event(EventType.OPENED, email("gus"), T0));

        deliver(late);
        deliver(late);   // a replay of the same batch

        assertThat(salesforce.updates()).hasSize(2);
        assertThat(salesforce.field("003G", "Email_Opens__c").asLong()).isEqualTo(4);
        assertThat(salesforce.field("003G", "Email_Clicks__c").asLong()).isEqualTo(1);
        assertThat(salesforce.field("003G", "Email_Last_Opened__c").asText()).isEqualTo("2026-03-04T12:05:00.000Z");
        assertThat(salesforce.field("003G", "Email_Last_Clicked__c").asText()).isEqualTo("2026-03-04T12:04:10.000Z");
        assertThat(salesforce.field("003G", "Email_Last_Event__c").asText()).isEqualTo("opened");
    }

    @Test
    void hard_bounce_sets_bounce_fields_and_opt_out_follows_occurred_at_order() {
        salesforce.with("Contact", email("hal"), "003H").with("Contact", email("ida"), "003I")
                .with("Contact", email("jo"), "003J").with("Contact", email("kim"), "003K");
        Exchange result = deliver(stored(
                event(EventType.BOUNCED, email("hal"), T0),
                // unsubscribed, then resubscribed later: opt-out lifted
                event(EventType.UNSUBSCRIBED, email("ida"), T0), event(EventType.SUBSCRIBED, email("ida"), T0.plusSeconds(10)),
                // complaint: a resubscribe never lifts it
                event(EventType.COMPLAINED, email("jo"), T0), event(EventType.SUBSCRIBED, email("jo"), T0.plusSeconds(10)),
                // the resubscribe arrives first but occurred before the unsubscribe: still opted out
                event(EventType.SUBSCRIBED, email("kim"), T0), event(EventType.UNSUBSCRIBED, email("kim"), T0.minusSeconds(10)),
                event(EventType.UNSUBSCRIBED, email("kim"), T0.plusSeconds(10))));

        assertThat(result.getException()).isNull();
        assertThat(salesforce.field("003H", "EmailBouncedDate").asText()).isEqualTo("2026-03-04T12:00:00.000Z");
        assertThat(salesforce.field("003H", "EmailBouncedReason").asText()).isEqualTo("mailbox does not exist");
        assertThat(salesforce.field("003H", "HasOptedOutOfEmail")).isNull();
        assertThat(salesforce.field("003I", "HasOptedOutOfEmail").asBoolean()).isFalse();
        assertThat(salesforce.field("003J", "HasOptedOutOfEmail").asBoolean()).isTrue();
        assertThat(salesforce.field("003K", "HasOptedOutOfEmail").asBoolean()).isTrue();
        assertThat(salesforce.field("003I", "EmailBouncedDate")).isNull();
    }

    @Test
    void a_record_error_retries_or_dead_letters_only_that_recipients_events() {
        salesforce.with("Contact", email("lou"), "003L").with("Contact", email("max"), "003M").with("Contact", email("ned"), "003N");
        salesforce.failRecord("003L", "UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record");
        salesforce.failRecord("003M", "INVALID_FIELD", "No such column 'Email_Opens__c' on entity 'Contact'");
        CanonicalEvent lou1 = event(EventType.OPENED, email("lou"), T0);
        CanonicalEvent lou2 = event(EventType.CLICKED, email("lou"), T0.plusSeconds(1));
        CanonicalEvent max = event(EventType.OPENED, email("max"), T0);
        CanonicalEvent ned = event(EventType.OPENED, email("ned"), T0);

        Exchange result = deliver(stored(lou1, lou2, max, ned));

        assertThat(result.getException()).isNull();
        assertThat(map(result, Delivery.RETRY)).containsOnlyKeys(lou1.id(), lou2.id());
        assertThat(map(result, Delivery.RETRY).get(lou1.id())).startsWith("UNABLE_TO_LOCK_ROW");
        assertThat(map(result, Delivery.FAILED)).containsOnlyKeys(max.id());
        assertThat(salesforce.field("003N", "Email_Opens__c").asLong()).isEqualTo(1);
    }

    @Test
    void an_expired_session_is_renewed_by_camel_salesforce_and_the_update_replayed() {
        salesforce.with("Contact", email("oz"), "003O").with("Contact", email("pia"), "003P");
        deliver(stored(event(EventType.OPENED, email("oz"), T0), event(EventType.OPENED, email("pia"), T0)));
        int tokensBefore = salesforce.tokenCalls();
        int unauthorizedBefore = salesforce.unauthorizedAnswers();
        salesforce.expireSessions();
        salesforce.reset();

        // both recipients are cached: the first call of this batch is the PATCH, which meets the expired session
        Exchange result = deliver(stored(event(EventType.CLICKED, email("oz"), T0.plusSeconds(9)),
                event(EventType.OPENED, email("pia"), T0.plusSeconds(9))));

        assertThat(result.getException()).isNull();
        assertThat(result.getProperty(Delivery.RETRY)).isNull();
        assertThat(salesforce.queries()).isEmpty();
        assertThat(salesforce.unauthorizedAnswers() - unauthorizedBefore).isEqualTo(1);
        assertThat(salesforce.tokenCalls()).isEqualTo(tokensBefore + 1);
        assertThat(salesforce.updates()).hasSize(1);
        assertThat(salesforce.field("003O", "Email_Clicks__c").asLong()).isEqualTo(1);
        assertThat(salesforce.field("003P", "Email_Opens__c").asLong()).isEqualTo(2);
    }

    @Test
    void an_expired_session_during_a_lookup_is_renewed_too() {
        salesforce.with("Contact", email("raf"), "003W");
        deliver(stored(event(EventType.OPENED, "warm-up-" + run + "@example.com", T0)));
        int tokensBefore = salesforce.tokenCalls();
        salesforce.expireSessions();

        Exchange result = deliver(stored(event(EventType.OPENED, email("raf"), T0)));

        assertThat(result.getException()).isNull();
        assertThat(salesforce.tokenCalls()).isEqualTo(tokensBefore + 1);
        assertThat(salesforce.field("003W", "Email_Opens__c").asLong()).isEqualTo(1);
    }

    @Test
    void request_limit_exceeded_fails_the_batch_with_a_long_retry_after() {
        salesforce.with("Contact", email("quin"), "003Q");
        salesforce.limitExceeded(true);

        Exchange result = deliver(stored(event(EventType.OPENED, email("quin"), T0)));

        assertThat(result.getException()).isInstanceOf(CrmUnavailableException.class).hasMessageContaining("REQUEST_LIMIT_EXCEEDED");
        assertThat(result.getProperty(Delivery.RETRY_AFTER, Duration.class)).isEqualTo(Duration.ofMinutes(45));
    }

    @Test
    void recipients_in_no_object_are_skipped_and_counted_not_retried() {
        salesforce.with("Contact", email("ray"), "003R");
        double before = unmatched();

        Exchange result = deliver(stored(event(EventType.OPENED, email("ray"), T0), event(EventType.OPENED, email("nobody"), T0)));
        Exchange again = deliver(stored(event(EventType.CLICKED, email("nobody"), T0.plusSeconds(1))));

        assertThat(result.getException()).isNull();
        assertThat(result.getProperty(Delivery.RETRY)).isNull();
        assertThat(result.getProperty(Delivery.FAILED)).isNull();
        assertThat(again.getException()).isNull();
        assertThat(unmatched() - before).isEqualTo(2.0);
        // two queries for the first batch (Contact, then Lead for the unknown one); none for the second (negative cache)
        assertThat(salesforce.queries()).hasSize(2);
        assertThat(salesforce.updates()).hasSize(1);
    }

    @Test
    void many_recipients_take_queries_of_100_emails_and_updates_of_200_records() {
        List<CanonicalEvent> events = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            salesforce.with("Contact", email("r" + i), String.format("003%012d", i));
            events.add(event(EventType.OPENED, email("r" + i), T0.plusSeconds(i)));
            events.add(event(EventType.CLICKED, email("r" + i), T0.plusSeconds(i + 1)));
        }
        long callsBefore = crm.apiCalls();

        Exchange result = deliver(stored(events.toArray(CanonicalEvent[]::new)));

        assertThat(result.getException()).isNull();
        assertThat(salesforce.queries()).hasSize(3);
        assertThat(salesforce.updates()).extracting(u -> u.records().size()).containsExactly(200, 50);
        assertThat(crm.apiCalls() - callsBefore).isEqualTo(5);
    }

    private List<CanonicalEvent> stored(CanonicalEvent... events) {
        List<CanonicalEvent> list = List.of(events);
        journal.store("postmark", null, list, Map.of(), Instant.now());
        return list.stream().sorted(Comparator.comparing(CanonicalEvent::occurredAt)).toList();
    }

    private Exchange deliver(List<CanonicalEvent> events) {
        Exchange exchange = new DefaultExchange(hub.context());
        exchange.setProperty(Delivery.DESTINATION, "crm");
        exchange.getMessage().setBody(events);
        return template.send(Delivery.endpoint("crm"), exchange);
    }

    private String email(String name) {
        return name + "-" + run + "@example.com";
    }

    private double gauge(String name) {
        return hub.context().getRegistry().lookupByNameAndType("metricsRegistry", io.micrometer.core.instrument.MeterRegistry.class)
                .get(name).gauge().value();
    }

    private double unmatched() {
        var c = hub.context().getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class)
                .find("hub_crm_recipients").tag("outcome", "unmatched").counter();
        return c == null ? 0 : c.count();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> map(Exchange e, String property) {
        return e.getProperty(property, Map.class);
    }

}
