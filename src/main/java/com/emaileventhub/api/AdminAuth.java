package com.emaileventhub.api;

import com.emaileventhub.intake.HttpRequestHeaders;
import com.emaileventhub.verify.Secrets;
import java.util.Arrays;
import java.util.List;
import org.apache.camel.Exchange;

/**
 * Bearer-token guard of /api/**. hub.admin.token may do everything; hub.api.read-token may only read
 * (GET): lifting a suppression or replaying deliveries with it is 403. Both hold comma-separated values so
 * a token can be rotated. The token is read from the Authorization header as sent, never from the query
 * string, and the HTTP method from the request itself.
 */
public final class AdminAuth {
    private final List<String> adminTokens;
    private final List<String> readTokens;

    public AdminAuth(String adminTokens, String readTokens) {
        this.adminTokens = split(adminTokens);
        this.readTokens = split(readTokens);
    }

    private static List<String> split(String configured) {
        return configured == null ? List.of()
                : Arrays.stream(configured.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public void check(Exchange exchange) {
        String header = HttpRequestHeaders.get(exchange, "Authorization");
        String method = HttpRequestHeaders.method(exchange);
        exchange.getMessage().removeHeader("Authorization");
        if (adminTokens.isEmpty() && readTokens.isEmpty()) {
            throw new ApiError(401, "the API is disabled: neither hub.admin.token nor hub.api.read-token is set");
        }
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiError(401, "missing bearer token (Authorization header)");
        }
        String token = header.substring(7).trim();
        // both lists are compared in full whatever the outcome, so timing tells nothing about the token
        boolean admin = Secrets.equalsAny(adminTokens, token);
        boolean reader = Secrets.equalsAny(readTokens, token);
        if (admin) {
            return;
        }
        if (!reader) {
            throw new ApiError(401, "wrong bearer token");
        }
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            throw new ApiError(403, "this token may only read (GET); " + method + " needs hub.admin.token");
        }
    }
}
