package com.emaileventhub.http;

import io.vertx.core.http.HttpServer;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.SSLOptions;
import java.security.KeyStore;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS served by the hub itself from PEM files, and renewed certificates taken up without a restart:
 * the files are checked every hub.http.tls.reload-interval and, when they changed, the running
 * server's SSL options are swapped (connections already open keep their session; new ones get the
 * new certificate). A renewal caught half-written is simply read again at the next check.
 */
final class TlsServer {
    static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");
    private static final Logger LOG = LoggerFactory.getLogger(TlsServer.class);

    private final EdgeSettings settings;
    private volatile PemKeyMaterial current;
    private volatile PemKeyMaterial.Stamp refused;
    private ScheduledExecutorService checker;

    TlsServer(EdgeSettings settings) {
        this.settings = settings;
        // a missing or unreadable file stops start-up, naming it
        this.current = PemKeyMaterial.load(settings.certFile, settings.keyFile);
        LOG.info("TLS certificate loaded: {}", current.describe());
    }

    /** What Camel's server is created with: the key store built from the PEM files. */
    SSLContextParameters initialParameters() {
        PemKeyMaterial material = current;
        KeyStoreParameters store = new KeyStoreParameters() {
            @Override
            public KeyStore createKeyStore() {
                return material.keyStore();
            }
        };
        KeyManagersParameters keys = new KeyManagersParameters();
        keys.setKeyStore(store);
        keys.setKeyPassword(new String(material.password()));
        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setKeyManagers(keys);
        return parameters;
    }

    /** Once the server listens: pins the protocols and starts watching the files. */
    void started(CamelContext context, Supplier<HttpServer> server) {
        apply(server.get(), current);
        checker = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "hub-tls-reload");
        long every = settings.tlsReloadInterval.toMillis();
        checker.scheduleWithFixedDelay(() -> reloadIfChanged(server), every, every, TimeUnit.MILLISECONDS);
    }

    void stop(CamelContext context) {
        if (checker != null) {
            context.getExecutorServiceManager().shutdownNow(checker);
            checker = null;
        }
    }

    void reloadIfChanged(Supplier<HttpServer> server) {
        PemKeyMaterial.Stamp stamp = null;
        try {
            stamp = PemKeyMaterial.Stamp.of(settings.certFile, settings.keyFile);
            if (stamp.equals(current.stamp()) || stamp.equals(refused)) {
                return;
            }
            PemKeyMaterial renewed = PemKeyMaterial.load(settings.certFile, settings.keyFile);
            HttpServer http = server.get();
            if (http == null) {
                return;
            }
            apply(http, renewed);
            current = renewed;
            LOG.info("TLS certificate renewed without restart: {}", renewed.describe());
        } catch (Exception e) {
            // the old certificate stays in use; files changed again are tried again (an ACME client may be mid-write)
            refused = stamp;
            LOG.warn("TLS certificate not reloaded, the current one stays in use: {}", e.getMessage());
        }
    }

    private static void apply(HttpServer server, PemKeyMaterial material) {
        SSLOptions options = new SSLOptions()
                .setKeyCertOptions(KeyCertOptions.wrap(material.keyManagerFactory()))
                .setEnabledSecureTransportProtocols(PROTOCOLS);
        try {
            server.updateSSLOptions(options, true).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while updating the TLS options", e);
        } catch (Exception e) {
            throw new IllegalStateException("the server did not take the TLS options: " + e.getMessage(), e);
        }
    }
}
