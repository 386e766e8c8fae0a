package com.emaileventhub.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.emaileventhub.support.HubRunner;
import com.emaileventhub.support.Postmark;
import com.emaileventhub.support.Rows;
import com.emaileventhub.support.TcpProxy;
import com.emaileventhub.support.TestDatabases;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PostgreSQL reached through a proxy the test cuts: 503 while it is down, then recovery without restart. */
class DatabaseOutageTest {

    @Test
    void answers_503_while_the_database_is_down_and_recovers_without_restart() throws Exception {
        String schemaUrl = TestDatabases.postgres();
        try (TcpProxy proxy = new TcpProxy(5432)) {
            String viaProxy = schemaUrl.replace("127.0.0.1:5432", "127.0.0.1:" + proxy.port());
            try (HubRunner hub = HubRunner.start(Map.of(
                    "hub.db.url", viaProxy, "hub.db.username", TestDatabases.PG_USER,
                    "hub.db.connection-timeout", "PT1S",
                    "hub.esp.postmark.username", Postmark.USER, "hub.esp.postmark.password", Postmark.PASSWORD))) {
                assertThat(post(hub, "before").statusCode()).isEqualTo(200);

                proxy.cut();
                HttpResponse<String> down = post(hub, "during");
                assertThat(down.statusCode()).isEqualTo(503);
                assertThat(down.body()).contains("storage");
                assertThat(hub.get("/observe/health").statusCode()).isEqualTo(503);

                proxy.restore();
                await().atMost(Duration.ofSeconds(30)).until(() -> post(hub, "after").statusCode() == 200);
                assertThat(post(hub, "during").statusCode()).isEqualTo(200);   // the ESP's retry is taken
                assertThat(Rows.strings(hub.dataSource(), "SELECT message_id FROM hub_event ORDER BY message_id"))
                        .containsExactly("after", "before", "during");
            }
        }
    }

    private static HttpResponse<String> post(HubRunner hub, String messageId) {
        return hub.post("/webhooks/postmark", "application/json", Postmark.delivery(messageId, "outage@example.com"),
                "Authorization", Postmark.auth());
    }
}
