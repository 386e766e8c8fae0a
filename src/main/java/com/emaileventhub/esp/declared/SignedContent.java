package com.emaileventhub.esp.declared;

import com.emaileventhub.webhook.RejectionReason;
import com.emaileventhub.webhook.WebhookRejection;
import com.emaileventhub.webhook.WebhookRequest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a declared vendor signs, written as a template such as {@code {timestamp}.{body}} or
 * {@code {header:X-Id}{body}}: {@code {body}} is the exact raw body, {@code {timestamp}} the value of the
 * declared timestamp header, {@code {header:Name}} any request header; every other character is literal.
 */
final class SignedContent {
    private sealed interface Part permits Literal, Body, Timestamp, Header {
    }

    private record Literal(byte[] bytes) implements Part {
    }

    private record Body() implements Part {
    }

    private record Timestamp() implements Part {
    }

    private record Header(String name) implements Part {
    }

    private final List<Part> parts;
    private final String text;

    private SignedContent(List<Part> parts, String text) {
        this.parts = parts;
        this.text = text;
    }

    /** Parses a template; IllegalArgumentException naming the fault (checked at start-up). */
    static SignedContent parse(String template) {
        if (template == null || template.isEmpty()) {
            throw new IllegalArgumentException("signedContent must not be empty (use {body} for the raw body)");
        }
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            int close = c == '{' ? template.indexOf('}', i) : -1;
            if (close < 0) {
                literal.append(c);
                i++;
                continue;
            }
            if (literal.length() > 0) {
                parts.add(new Literal(literal.toString().getBytes(StandardCharsets.UTF_8)));
                literal.setLength(0);
            }
            String token = template.substring(i + 1, close);
            if (token.equals("body")) {
                parts.add(new Body());
            } else if (token.equals("timestamp")) {
                parts.add(new Timestamp());
            } else if (token.startsWith("header:") && token.length() > "header:".length()) {
                parts.add(new Header(token.substring("header:".length()).trim()));
            } else {
                throw new IllegalArgumentException("signedContent: unknown placeholder {" + token
                        + "}; use {body}, {timestamp} or {header:Name}");
            }
            i = close + 1;
        }
        if (literal.length() > 0) {
            parts.add(new Literal(literal.toString().getBytes(StandardCharsets.UTF_8)));
        }
        return new SignedContent(List.copyOf(parts), template);
    }

    boolean usesTimestamp() {
        return parts.stream().anyMatch(p -> p instanceof Timestamp);
    }

    /** The signed bytes of a request; 401 when a header the content names is missing. */
    byte[] of(WebhookRequest request, String timestamp) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(request.body().length + 64);
        for (Part part : parts) {
            if (part instanceof Literal l) {
                out.writeBytes(l.bytes());
            } else if (part instanceof Body) {
                out.writeBytes(request.body());
            } else if (part instanceof Timestamp) {
                out.writeBytes(timestamp.getBytes(StandardCharsets.UTF_8));
            } else if (part instanceof Header h) {
                String value = request.headers().get(h.name());
                if (value == null) {
                    throw WebhookRejection.unauthorized(RejectionReason.MISSING_CREDENTIALS, "header " + h.name()
                            + " (part of the signed content) is missing");
                }
                out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return text;
    }
}
