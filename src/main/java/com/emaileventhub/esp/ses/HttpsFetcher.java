package com.emaileventhub.esp.ses;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * GETs over java.net.http with short timeouts (SNS gives up on the hub after 15 s), no redirects
 * (a redirect could leave the validated SNS host) and a bounded body.
 */
final class HttpsFetcher implements SnsFetcher {
    private static final int MAX_BODY_BYTES = 64 * 1024;

    /** One client for the JVM, created on first use so that routes that never fetch start no threads. */
    private static final class Holder {
        static final HttpClient CLIENT = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(3))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public Response get(URI uri) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build();
        try {
            HttpResponse<InputStream> response = Holder.CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
                if (body.length > MAX_BODY_BYTES) {
                    throw new IOException("response from " + uri.getHost() + " exceeds " + MAX_BODY_BYTES + " bytes");
                }
                return new Response(response.statusCode(), body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while calling " + uri.getHost());
        }
    }
}
