package com.emaileventhub.esp;

import com.emaileventhub.verify.StandardWebhooks;
import java.util.List;

/**
 * What a client must know to post to one vendor's webhook route, as its verifier and normalizer check it: the
 * ways it may authenticate (any one alternative, each a set of credentials presented together), what else is
 * signed, the media types the route reads, and the hub.esp.VENDOR.* keys that configure its credentials (any
 * one set is enough). Read by the start-up summary and the OpenAPI document.
 */
public record WebhookContract(String summary, List<List<Credential>> alternatives, List<String> mediaTypes,
                              List<String> credentialKeys) {
    /** The signature headers of Standard Webhooks (Svix): all branded, or all unbranded. */
    public static final List<List<Credential>> STANDARD_WEBHOOKS = List.of(
            StandardWebhooks.Headers.SVIX.names().stream().map(Credential::header).toList(),
            StandardWebhooks.Headers.UNBRANDED.names().stream().map(Credential::header).toList());

    /** One credential presented in the request outside the body. */
    public record Credential(Kind kind, String header) {
        public enum Kind { BASIC, BEARER, HEADER }

        public static Credential basic() {
            return new Credential(Kind.BASIC, "Authorization");
        }

        public static Credential bearer() {
            return new Credential(Kind.BEARER, "Authorization");
        }

        public static Credential header(String name) {
            return new Credential(Kind.HEADER, name);
        }
    }
}
