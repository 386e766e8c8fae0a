package com.emaileventhub.http;

import com.emaileventhub.config.HubConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The hub.http.* and hub.esp.*.allowed-ips keys, parsed and checked once at start-up. */
final class EdgeSettings {
    private static final String ALLOWED_IPS = ".allowed-ips";
    private static final String VENDOR_PREFIX = "hub.esp.";

    final AddressList trustedProxies;
    final int maxConcurrentRequests;
    final int workerThreads;
    final Duration requestTimeout;
    final Duration retryAfter;
    final boolean requireHttps;
    final long maxBodyBytes;
    final Path certFile;
    final Path keyFile;
    final Duration tlsReloadInterval;
    private final HubConfig config;
    private final Map<String, AddressList> allowLists = new ConcurrentHashMap<>();

    EdgeSettings(HubConfig config) {
        this.config = config;
        this.trustedProxies = AddressList.parse("hub.http.trusted-proxies", config.get("hub.http.trusted-proxies"));
        this.workerThreads = positiveInt(config, "hub.http.worker-threads");
        this.maxConcurrentRequests = positiveInt(config, "hub.http.max-concurrent-requests");
        if (workerThreads <= maxConcurrentRequests) {
            throw HubConfig.invalid("hub.http.worker-threads", "must exceed hub.http.max-concurrent-requests, so that "
                    + "health probes and the API are answered while webhooks are at their limit");
        }
        this.requestTimeout = positiveDuration(config, "hub.http.request-timeout");
        this.retryAfter = positiveDuration(config, "hub.http.retry-after");
        this.requireHttps = config.bool("hub.http.require-https");
        this.maxBodyBytes = config.longValue("hub.http.max-body-bytes");
        String cert = config.get("hub.http.tls.cert-file");
        String key = config.get("hub.http.tls.key-file");
        if ((cert == null) != (key == null)) {
            throw HubConfig.invalid(cert == null ? "hub.http.tls.cert-file" : "hub.http.tls.key-file",
                    "hub.http.tls.cert-file and hub.http.tls.key-file are set together (or neither)");
        }
        this.certFile = cert == null ? null : Path.of(cert);
        this.keyFile = key == null ? null : Path.of(key);
        this.tlsReloadInterval = positiveDuration(config, "hub.http.tls.reload-interval");
        for (String k : config.asMap().keySet()) {
            if (k.startsWith(VENDOR_PREFIX) && k.endsWith(ALLOWED_IPS)) {
                allowList(k.substring(VENDOR_PREFIX.length(), k.length() - ALLOWED_IPS.length()));
            }
        }
        // vendors declared in YAML alone may have their list only in the environment
        System.getenv().forEach((name, value) -> {
            if (name.startsWith("HUB_ESP_") && name.endsWith("_ALLOWED_IPS")) {
                AddressList.parse(name, value);
            }
        });
    }

    boolean tls() {
        return certFile != null;
    }

    /** The vendor's allow-list (empty: any source), read once per vendor. */
    AddressList allowList(String vendor) {
        return allowLists.computeIfAbsent(vendor, v -> {
            String key = VENDOR_PREFIX + v + ALLOWED_IPS;
            return AddressList.parse(key, config.get(key));
        });
    }

    private static int positiveInt(HubConfig config, String key) {
        int value = config.integer(key);
        if (value <= 0) {
            throw HubConfig.invalid(key, "must be a positive integer");
        }
        return value;
    }

    private static Duration positiveDuration(HubConfig config, String key) {
        Duration value = config.duration(key);
        if (value.isZero() || value.toMillis() < 1) {
            throw HubConfig.invalid(key, "must be a positive duration");
        }
        return value;
    }
}
