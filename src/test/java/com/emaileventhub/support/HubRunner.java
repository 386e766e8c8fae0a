package com.emaileventhub.support;

import com.emaileventhub.Hub;
import com.emaileventhub.config.HubConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.test.AvailablePortFinder;

/** A hub started in-process on a free port with test overrides, and an HTTP client aimed at it. */
public final class HubRunner implements AutoCloseable {
    public static final String ADMIN_TOKEN = "test-admin-token";
    // HTTP/1.1 as the ESPs speak it: over plain http the JDK client would otherwise try an h2c upgrade on each new
    // connection, and once (CI, after LoadSheddingTest) a GET so upgraded never completed, its 30 s timeout notwithstanding
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final Hub hub;
    private final int port;

    private HubRunner(Hub hub, int port) {
        this.hub = hub;
        this.port = port;
    }

    /**
     * What every test hub needs, for a database URL of {@link TestDatabases}: a free port, the admin token, the
     * database and its user. Callers add their own keys over these.
     */
    public static Map<String, String> basics(String dbUrl) {
        Map<String, String> all = new HashMap<>();
        all.put("hub.http.port", Integer.toString(AvailablePortFinder.getNextAvailable()));
        all.put("hub.admin.token", ADMIN_TOKEN);
        all.put("hub.db.url", dbUrl);
        all.put("hub.db.username", TestDatabases.user(dbUrl));
        return all;
    }

    /** A hub on a fresh H2 database unless the overrides name one (hub.db.url); overrides win over the basics. */
    public static HubRunner start(Map<String, String> overrides) {
        Map<String, String> all = basics(overrides.getOrDefault("hub.db.url", TestDatabases.h2()));
        all.put("hub.db.pool-size", "4");
        all.putAll(overrides);
        try {
            Hub hub = new Hub(HubConfig.load(all));
            hub.start();
            return new HubRunner(hub, Integer.parseInt(all.get("hub.http.port")));
        } catch (Exception e) {
            throw new IllegalStateException("hub did not start", e);
        }
    }

    public Hub hub() {
        return hub;
    }

    public int port() {
        return port;
    }

    public DataSource dataSource() {
        return hub.database().dataSource();
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public HttpResponse<String> post(String path, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    public HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    /** GET with the admin bearer token. */
    public HttpResponse<String> api(String path) {
        return get(path, "Authorization", "Bearer " + ADMIN_TOKEN);
    }

    public static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        hub.close();
    }
}
