package com.emaileventhub.esp;

import com.emaileventhub.config.HubConfig;
import com.emaileventhub.verify.Ecdsa;
import com.emaileventhub.verify.StandardWebhooks;
import java.util.regex.Pattern;

/** The vendor keys whose format the hub knows, checked at start-up as the verifiers will read them. */
public final class VendorKeys {
    private static final Pattern SNS_TOPIC_ARN =
            Pattern.compile("arn:aws(-[a-z]+)*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?");

    private VendorKeys() {
    }

    /**
     * Vendor keys whose format the hub knows, parsed as their verifiers parse them, so that a bad value
     * stops start-up instead of answering every webhook with an error. Messages name the key, never the value.
     */
    public static void validate(HubConfig config) {
        for (String key : config.asMap().keySet()) {
            if (key.startsWith("hub.esp.") && key.endsWith(".tolerance") && config.get(key) != null
                    && HubConfig.parseDuration(key, config.get(key)).isZero()) {
                throw HubConfig.invalid(key, "must be a positive duration");
            }
        }
        String sendgrid = config.get("hub.esp.sendgrid.public-key");
        if (sendgrid != null) {
            try {
                Ecdsa.publicKeys(sendgrid, "hub.esp.sendgrid.public-key");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid configuration " + e.getMessage());
            }
        }
        String resend = config.get("hub.esp.resend.secret");
        if (resend != null) {
            for (String secret : resend.split(",")) {
                try {
                    if (!secret.isBlank()) {
                        StandardWebhooks.decodeSecret(secret.trim(), "hub.esp.resend.secret");
                    }
                } catch (IllegalStateException e) {
                    throw HubConfig.invalid("hub.esp.resend.secret", "not a whsec_<base64> signing secret");
                }
            }
        }
        String topics = config.get("hub.esp.ses.topic-arns");
        if (topics != null) {
            for (String arn : topics.split(",")) {
                if (!arn.isBlank() && !SNS_TOPIC_ARN.matcher(arn.trim()).matches()) {
                    throw HubConfig.invalid("hub.esp.ses.topic-arns", "not a list of SNS topic ARNs (arn:aws:sns:<region>:<account>:<topic>)");
                }
            }
        }
    }

}
