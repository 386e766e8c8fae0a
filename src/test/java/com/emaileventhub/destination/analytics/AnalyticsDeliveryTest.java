package com.emaileventhub.destination.analytics;

import static com.emaileventhub.destination.analytics.DestinationTestHub.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.Hub;
import com.emaileventhub.destination.Delivery;
import com.emaileventhub.destination.DestinationConfigurationException;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.support.HubRunner;
import com.emaileventhub.support.TestDatabases;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
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

/** The analytics destination against a fake import API, on a hub over each database. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ParameterizedClass
@EnumSource(TestDatabases.Kind.class)
class AnalyticsDeliveryTest {
    private static final Instant T0 = Instant.parse("2026-03-04T12:00:00.000Z");

    private FakeImportApi api;
    private Hub hub;
    private ProducerTemplate template;
    @Parameter
    TestDatabases.Kind kind;
    private String dbUrl;

    @BeforeParameterizedClassInvocation
    void start() throws Exception {
        api = new FakeImportApi();
        dbUrl = kind.freshUrl();
        hub = HubRunner.start(Map.of("hub.db.url", dbUrl,
                "hub.analytics.enabled", "true",
                "hub.analytics.url", api.url(),
                "hub.analytics.project-id", "proj-1",
                "hub.analytics.username", "svc-user",
                "hub.analytics.password", "s3cret:with&odd=chars",
                "hub.analytics.batch-size", "5",
                "hub.analytics.event-name.complained", "Spam Report")).hub();
        template = hub.context().createProducerTemplate();
    }

    @AfterParameterizedClassInvocation
    void stop() {
        hub.close();
        api.close();
        TestDatabases.drop(dbUrl);
    }

    @BeforeEach
    void reset() {
        api.reset();
    }

    @Test
    void posts_gzipped_json_with_basic_auth_strict_and_project_id() throws Exception {
        CanonicalEvent click = event(EventType.CLICKED, "ann@example.com", T0);
        CanonicalEvent complaint = event(EventType.COMPLAINED, "bob@example.com", T0.plusSeconds(5));

        Exchange result = deliver(List.of(click, complaint));

        assertThat(result.getException()).isNull();
        assertThat(result.getProperty(Delivery.FAILED)).isNull();
        assertThat(api.received()).hasSize(1);
        FakeImportApi.Received r = api.received().get(0);
        assertThat(r.rawBody()[0] & 0xff).as("gzip magic").isEqualTo(0x1f);
        assertThat(r.rawBody()[1] & 0xff).isEqualTo(0x8b);
        assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.header("Authorization")).isEqualTo("Basic " + Base64.getEncoder()
                .encodeToString("svc-user:s3cret:with&odd=chars".getBytes(StandardCharsets.UTF_8)));
        assertThat(r.query()).contains("strict=1").contains("project_id=proj-1");

        JsonNode first = r.events().get(0);
        assertThat(first.get("event").asText()).isEqualTo("Email Clicked");
        JsonNode p = first.get("properties");
        assertThat(p.get("time").asLong()).isEqualTo(T0.toEpochMilli());
        assertThat(p.get("distinct_id").asText()).isEqualTo("ann@example.com");
        assertThat(p.get("$insert_id").asText()).isEqualTo(click.id());
        assertThat(p.get("esp").asText()).isEqualTo("postmark");
        assertThat(p.get("type").asText()).isEqualTo("clicked");
        assertThat(p.get("url").asText()).isEqualTo("https://example.com/pricing");
        assertThat(p.get("message_id").asText()).isEqualTo(click.messageId());
        assertThat(p.get("tags").get(0).asText()).isEqualTo("newsletter");
        assertThat(p.get("metadata").get("campaign").asText()).isEqualTo("spring");
        assertThat(p.has("raw")).isFalse();
        // the name comes from properties: overridden for this hub, no Java change
        assertThat(r.events().get(1).get("event").asText()).isEqualTo("Spam Report");
    }

    @Test
    void headers_of_the_calling_exchange_do_not_reach_the_import_api() {
        Exchange exchange = new DefaultExchange(hub.context());
        exchange.getMessage().setBody(List.of(event(EventType.OPENED, "ann@example.com", T0)));
        exchange.getMessage().setHeader("X-Internal-Secret", "do-not-leak");
        exchange.getMessage().setHeader("Authorization", "Bearer caller-token");
        exchange.getMessage().setHeader("CamelHttpUri", "http://127.0.0.1:1/elsewhere");

        Exchange result = template.send(Delivery.endpoint("analytics"), exchange);

        assertThat(result.getException()).isNull();
        FakeImportApi.Received r = api.received().get(0);
        assertThat(r.header("X-Internal-Secret")).isNull();
        assertThat(r.header("Authorization")).startsWith("Basic ");
    }

    @Test
    void sends_batches_of_at_most_batch_size_events() {
        List<CanonicalEvent> events = events(12);

        Exchange result = deliver(events);

        assertThat(result.getException()).isNull();
        assertThat(api.received()).extracting(r -> r.events().size()).containsExactly(5, 5, 2);
        assertThat(insertIds()).containsExactlyElementsOf(ids(events));
    }

    @Test
    void one_address_in_several_cases_and_types_in_one_batch_is_sent_once_per_event_under_one_id() {
        EventType[] types = {EventType.DELIVERED, EventType.OPENED, EventType.CLICKED, EventType.OPENED,
                EventType.BOUNCED, EventType.UNSUBSCRIBED, EventType.COMPLAINED};
        List<CanonicalEvent> events = new ArrayList<>();
        for (int i = 0; i < types.length; i++) {
            String cased = i % 3 == 0 ? "Same.Person@example.com" : i % 3 == 1 ? "same.person@example.com" : "SAME.PERSON@EXAMPLE.COM";
            events.add(event(types[i], cased, T0.plusSeconds(i)));
        }

        Exchange result = deliver(events);

        assertThat(result.getException()).isNull();
        assertThat(result.getProperty(Delivery.FAILED)).isNull();
        assertThat(insertIds()).containsExactlyElementsOf(ids(events));
        List<JsonNode> sent = api.received().stream().flatMap(r -> r.events().stream()).toList();
        assertThat(sent).extracting(e -> e.get("properties").get("distinct_id").asText())
                .containsOnly("same.person@example.com");
        assertThat(sent).extracting(e -> e.get("properties").get("type").asText())
                .containsExactly("delivered", "opened", "clicked", "opened", "bounced", "unsubscribed", "complained");
    }

    @Test
    void an_empty_batch_makes_no_request() {
        Exchange result = deliver(List.of());

        assertThat(result.getException()).isNull();
        assertThat(api.received()).isEmpty();
    }

    @Test
    void dead_letters_only_the_failed_records_of_a_400() {
        List<CanonicalEvent> events = events(4);
        api.respond(r -> new FakeImportApi.Answer(400, Map.of(), "{\"code\":400,\"error\":\"some data points in the request failed validation\","
                + "\"status\":\"Bad Request\",\"num_records_imported\":2,\"failed_records\":["
                + "{\"index\":1,\"$insert_id\":\"" + events.get(1).id() + "\",\"field\":\"properties.time\",\"message\":\"'properties.time' is invalid\"},"
                + "{\"index\":3,\"field\":\"properties.distinct_id\",\"message\":\"'properties.distinct_id' is invalid\"}]}"));

        Exchange result = deliver(events);

        assertThat(result.getException()).isNull();
        Map<String, String> failed = failed(result);
        assertThat(failed.keySet()).containsExactlyInAnyOrder(events.get(1).id(), events.get(3).id());
        assertThat(failed.get(events.get(1).id())).contains("properties.time");
        assertThat(result.getProperty(Delivery.RETRY)).isNull();
    }

    @Test
    void halves_a_batch_the_api_finds_too_large_until_it_fits() {
        List<CanonicalEvent> events = events(5);
        api.respond(r -> r.events().size() > 2
                ? new FakeImportApi.Answer(413, Map.of(), "{\"code\":413,\"error\":\"request exceeds max limit of 2097152 bytes\"}")
                : FakeImportApi.Answer.ok(r.events().size()));

        Exchange result = deliver(events);

        assertThat(result.getException()).isNull();
        assertThat(result.getProperty(Delivery.FAILED)).isNull();
        assertThat(api.received()).extracting(r -> r.events().size()).containsExactly(5, 2, 3, 1, 2);
        List<String> accepted = api.received().stream().filter(r -> r.events().size() <= 2)
                .flatMap(r -> r.events().stream()).map(e -> e.get("properties").get("$insert_id").asText()).toList();
        assertThat(accepted).containsExactlyElementsOf(ids(events));
    }

    @Test
    void dead_letters_a_single_event_that_is_still_too_large() {
        List<CanonicalEvent> events = events(2);
        String huge = events.get(1).recipient();
        api.respond(r -> r.events().stream().anyMatch(e -> e.get("properties").get("distinct_id").asText().equals(huge))
                ? new FakeImportApi.Answer(413, Map.of(), "{\"code\":413}")
                : FakeImportApi.Answer.ok(r.events().size()));

        Exchange result = deliver(events);

        assertThat(result.getException()).isNull();
        assertThat(failed(result)).containsOnlyKeys(events.get(1).id());
    }

    @Test
    void rate_limiting_fails_the_batch_and_passes_on_retry_after() {
        api.respond(r -> new FakeImportApi.Answer(429, Map.of("Retry-After", "7"),
                "{\"code\":429,\"error\":\"Project exceeded rate limits.\",\"status\":\"Too Many Requests\"}"));

        Exchange result = deliver(events(3));

        assertThat(result.getException()).isInstanceOf(AnalyticsUnavailableException.class)
                .hasMessageContaining("429").hasMessageContaining("rate limits");
        assertThat(result.getProperty(Delivery.RETRY_AFTER, Duration.class)).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void a_server_error_fails_the_batch_for_a_retry() {
        api.respond(r -> new FakeImportApi.Answer(503, Map.of(), "unavailable"));

        Exchange result = deliver(events(2));

        assertThat(result.getException()).isInstanceOf(AnalyticsUnavailableException.class).hasMessageContaining("503");
        assertThat(result.getProperty(Delivery.RETRY_AFTER)).isNull();
    }

    @Test
    void rate_limiting_after_a_delivered_chunk_retries_only_the_rest() {
        List<CanonicalEvent> events = events(8);
        api.respond(r -> api.received().size() == 1 ? FakeImportApi.Answer.ok(r.events().size())
                : new FakeImportApi.Answer(429, Map.of("Retry-After", "30"), "{\"code\":429,\"error\":\"slow down\"}"));

        Exchange result = deliver(events);

        assertThat(result.getException()).isNull();
        assertThat(retry(result).keySet()).containsExactlyInAnyOrderElementsOf(ids(events.subList(5, 8)));
        assertThat(result.getProperty(Delivery.RETRY_AFTER, Duration.class)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void refused_credentials_are_a_configuration_error() {
        api.respond(r -> new FakeImportApi.Answer(401, Map.of(), "{\"code\":401,\"error\":\"Invalid credentials\",\"status\":\"Unauthorized\"}"));

        Exchange result = deliver(events(1));

        assertThat(result.getException()).isInstanceOf(DestinationConfigurationException.class)
                .hasMessageContaining("401").hasMessageNotContaining("s3cret");
    }

    private Exchange deliver(List<CanonicalEvent> events) {
        Exchange exchange = new DefaultExchange(hub.context());
        exchange.setProperty(Delivery.DESTINATION, "analytics");
        exchange.getMessage().setBody(events);
        return template.send(Delivery.endpoint("analytics"), exchange);
    }

    private static List<CanonicalEvent> events(int n) {
        List<CanonicalEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(event(i % 2 == 0 ? EventType.OPENED : EventType.DELIVERED, "user" + i + "@example.com", T0.plusSeconds(i)));
        }
        return out;
    }

    private List<String> insertIds() {
        return api.received().stream().flatMap(r -> r.events().stream())
                .map(e -> e.get("properties").get("$insert_id").asText()).collect(Collectors.toList());
    }

    private static List<String> ids(List<CanonicalEvent> events) {
        return events.stream().map(CanonicalEvent::id).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> failed(Exchange e) {
        return e.getProperty(Delivery.FAILED, Map.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> retry(Exchange e) {
        return e.getProperty(Delivery.RETRY, Map.class);
    }
}
