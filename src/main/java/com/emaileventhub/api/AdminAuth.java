package com.emaileventhub.api;

import com.emaileventhub.verify.Secrets;
import java.util.Arrays;
import java.util.List;
import org.apache.camel.Exchange;

/** Bearer-token guard of /api/**: without a configured token every call is refused. */
public final class AdminAuth {
    private final List<String> tokens;

    public AdminAuth(String configured) {
        this.tokens = configured == null ? List.of()
                : Arrays.stream(configured.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public void check(Exchange exchange) {
        String header = exchange.getMessage().getHeader("Authorization", String.class);
        exchange.getMessage().removeHeader("Authorization");
        if (tokens.isEmpty()) {
            throw new ApiError(401, "the admin API is disabled: hub.admin.token is not set");
        }
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiError(401, "missing bearer token");
        }
        if (!Secrets.equalsAny(tokens, header.substring(7).trim())) {
            throw new ApiError(401, "wrong bearer token");
        }
    }
}
