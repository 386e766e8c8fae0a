package com.emaileventhub.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.esp.mailgun.MailgunPayloads;
import com.emaileventhub.support.HubRunner;
import com.emaileventhub.support.Metrics;
import com.emaileventhub.support.Postmark;
import com.emaileventhub.support.TestDatabases;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The values /observe/metrics reports for webhooks: what was stored, and why a request was refused. */
class WebhookMetricsTest {
    private static final String DELIVERED = "hub_events_total{esp=\"postmark\",type=\"delivered\"}";
    private static final String ACCEPTED = "hub_webhooks_total{outcome=\"accepted\",reason=\"none\",vendor=\"postmark\"}";
    private static final String MAILGUN_KEY = "mg-signing-key-for-metrics";

    private static Map<String, String> postmarkAndMailgun(String url) {
        return Map.of("hub.db.url", url, "hub.db.username", TestDatabases.user(url),
                "hub.esp.postmark.username", Postmark.USER, "hub.esp.postmark.password", Postmark.PASSWORD,
                "hub.esp.mailgun.signing-key", MAILGUN_KEY, "hub.delivery.poll-interval", "PT1H");
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void a_webhook_posted_twice_counts_its_event_once_and_both_requests(TestDatabases.Kind kind) {
        String url = kind.freshUrl();
        try (HubRunner hub = HubRunner.start(postmarkAndMailgun(url))) {
            byte[] body = Postmark.delivery("twice-" + UUID.randomUUID(), "ann@example.com");
            assertThat(postPostmark(hub, body, Postmark.auth()).body()).isEqualTo("{\"accepted\":1,\"duplicates\":0}");
            String first = metrics(hub);
            assertThat(Metrics.value(first, DELIVERED)).isEqualTo(1);
            assertThat(Metrics.value(first, ACCEPTED)).isEqualTo(1);

            assertThat(postPostmark(hub, body, Postmark.auth()).body()).isEqualTo("{\"accepted\":0,\"duplicates\":1}");
            String second = metrics(hub);
            assertThat(Metrics.value(second, DELIVERED)).isEqualTo(1);
            assertThat(Metrics.value(second, ACCEPTED)).isEqualTo(2);

            // a new event in a later request is counted again
            postPostmark(hub, Postmark.delivery("third-" + UUID.randomUUID(), "bob@example.com"), Postmark.auth());
            assertThat(Metrics.value(metrics(hub), DELIVERED)).isEqualTo(2);
        } finally {
            TestDatabases.drop(url);
        }
    }

    /** The group-commit counters read the journal through functions Micrometer holds weakly: they must outlive a GC. */
    @Test
    void the_journal_commit_counters_keep_counting_after_a_garbage_collection() {
        try (HubRunner hub = HubRunner.start(postmarkAndMailgun(TestDatabases.h2()))) {
            postPostmark(hub, Postmark.delivery("gc-" + UUID.randomUUID(), "ann@example.com"), Postmark.auth());
            postPostmark(hub, Postmark.delivery("gc-" + UUID.randomUUID(), "bob@example.com"), Postmark.auth());
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
            String text = metrics(hub);
            assertThat(Metrics.value(text, "hub_journal_commits_total")).isBetween(1.0, 2.0);
            assertThat(Metrics.value(text, "hub_journal_committed_requests_total")).isEqualTo(2);
            assertThat(Metrics.value(text, "hub_journal_committing_seconds_total")).isGreaterThan(0.0).isLessThan(60.0);
        }
    }

    @Test
    void bad_signatures_of_two_vendors_carry_the_same_reason_label() {
        try (HubRunner hub = HubRunner.start(postmarkAndMailgun(TestDatabases.h2()))) {
            // Postmark signs with basic-auth credentials, Mailgun with an HMAC in the body: both wrong
            HttpResponse<String> postmark = postPostmark(hub, Postmark.delivery("m-1", "ann@example.com"),
                    Postmark.auth(Postmark.USER, "not-the-password"));
            assertThat(postmark.statusCode()).as(postmark.body()).isEqualTo(401);
            String now = Long.toString(Instant.now().getEpochSecond());
            String mailgunBody = MailgunPayloads.body(MailgunPayloads.DELIVERED, "another-key", now, UUID.randomUUID().toString());
            HttpResponse<String> mailgun = hub.post("/webhooks/mailgun", "application/json",
                    mailgunBody.getBytes(StandardCharsets.UTF_8));
            assertThat(mailgun.statusCode()).as(mailgun.body()).isEqualTo(401);

            String text = metrics(hub);
            assertThat(Metrics.value(text, "hub_webhooks_total{outcome=\"rejected\",reason=\"bad_signature\",vendor=\"postmark\"}"))
                    .isEqualTo(1);
            assertThat(Metrics.value(text, "hub_webhooks_total{outcome=\"rejected\",reason=\"bad_signature\",vendor=\"mailgun\"}"))
                    .isEqualTo(1);
            // and a request without any credentials is told apart from one with wrong ones
            postPostmark(hub, Postmark.delivery("m-2", "ann@example.com"), null);
            assertThat(Metrics.value(metrics(hub),
                    "hub_webhooks_total{outcome=\"rejected\",reason=\"missing_credentials\",vendor=\"postmark\"}")).isEqualTo(1);
        }
    }

    @Test
    void crm_usage_gauges_are_not_exported_with_the_crm_off() {
        try (HubRunner hub = HubRunner.start(Map.of("hub.crm.enabled", "false"))) {
            String text = metrics(hub);
            assertThat(Metrics.exported(text, "hub_webhooks_total") || text.contains("hub_http_inflight_requests"))
                    .as("the metrics page itself is served").isTrue();
            assertThat(Metrics.exported(text, "hub_crm_api_usage_used")).isFalse();
            assertThat(Metrics.exported(text, "hub_crm_api_usage_limit")).isFalse();
        }
    }

    private static HttpResponse<String> postPostmark(HubRunner hub, byte[] body, String authorization) {
        return authorization == null ? hub.post("/webhooks/postmark", "application/json", body)
                : hub.post("/webhooks/postmark", "application/json", body, "Authorization", authorization);
    }

    private static String metrics(HubRunner hub) {
        HttpResponse<String> r = hub.get("/observe/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }
}
