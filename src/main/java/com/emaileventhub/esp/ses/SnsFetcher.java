package com.emaileventhub.esp.ses;

import java.io.IOException;
import java.net.URI;

/** The hub's only outbound calls for SNS: fetching signing certificates and confirming subscriptions. */
@FunctionalInterface
interface SnsFetcher {
    /** GETs an already validated SNS URL; IOException when no HTTP answer came back. */
    Response get(URI uri) throws IOException;

    record Response(int status, byte[] body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }
}
