package com.emaileventhub.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.emaileventhub.destination.alert.FakeChannels;
import com.emaileventhub.support.HubRunner;
import com.emaileventhub.support.Postmark;
import com.emaileventhub.support.Rows;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The workflow-trigger example of routes/fanout.camel.yaml and routes/destinations/drip.camel.yaml: a human click
 * on the chosen link reaches the drip-campaign endpoint (faked over HTTP); other links and scanner clicks do not.
 */
class DripTriggerTest {

    @Test
    void a_human_click_on_the_chosen_link_is_posted_to_the_drip_endpoint_once() {
        try (FakeChannels drip = new FakeChannels();
             HubRunner hub = HubRunner.start(Map.of("hub.esp.postmark.username", Postmark.USER,
                     "hub.esp.postmark.password", Postmark.PASSWORD, "hub.drip.enabled", "true",
                     "hub.drip.url", drip.url("/webhook"), "hub.drip.link", "/pricing",
                     "hub.delivery.poll-interval", "PT0.05S"))) {
            String m = "drip-" + UUID.randomUUID();
            post(hub, Postmark.click(m, "blog@example.com", "https://shop.test/blog/post"));
            String scanner = new String(Postmark.click(m, "scanned@example.com", "https://shop.test/pricing?plan=pro"),
                    StandardCharsets.UTF_8).replace("Mozilla/5.0", "Mimecast Link Scanner");
            post(hub, scanner.getBytes(StandardCharsets.UTF_8));
            post(hub, Postmark.click(m, "buyer@example.com", "https://shop.test/pricing?plan=pro"));
            post(hub, Postmark.click(m, "buyer@example.com", "https://shop.test/pricing?plan=pro"));   // ESP retry

            // one outbox item for drip (the retried click is a duplicate, the others are not selected), delivered
            assertThat(Rows.strings(hub.dataSource(), "SELECT status FROM hub_delivery WHERE destination = 'drip'"))
                    .hasSize(1);
            await().atMost(30, TimeUnit.SECONDS).until(() -> Rows.strings(hub.dataSource(),
                    "SELECT status FROM hub_delivery WHERE destination = 'drip'").equals(List.of("delivered")));
            assertThat(drip.at("/webhook")).hasSize(1);
            FakeChannels.Request posted = drip.at("/webhook").get(0);
            assertThat(posted.body().path("recipient").asText()).isEqualTo("buyer@example.com");
            assertThat(posted.body().path("url").asText()).isEqualTo("https://shop.test/pricing?plan=pro");
            assertThat(posted.body().path("type").asText()).isEqualTo("clicked");
            assertThat(posted.header("Content-Type")).isEqualTo("application/json");
        }
    }

    private static void post(HubRunner hub, byte[] body) {
        var r = hub.post("/webhooks/postmark", "application/json", body, "Authorization", Postmark.auth());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
}
