package com.emaileventhub.destination.alert;

import com.emaileventhub.config.HubConfig;
import com.emaileventhub.store.InsightRates;
import com.emaileventhub.store.InsightReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One alert rule, read from {@code hub.alerts.NAME.*}: a rule exists for every {@code hub.alerts.NAME.metric}
 * key. The metric is a rate of the insight contract (over the sends of the trailing window, per group of
 * esp / recipient_domain / mailbox_provider / tag), {@value #CLICKS} (human and machine clicks on one message
 * in the window, per message_id) or {@value #SILENCE} (minutes since an ESP's latest event, for the ESPs with
 * events in the window, per esp).
 */
public record AlertRule(String name, String metric, double warn, double critical, Duration window, long minVolume,
                        List<String> groupBy) {
    public static final String CLICKS = "clicks_per_message";
    public static final String SILENCE = "minutes_since_last_event";
    private static final String PREFIX = "hub.alerts.";

    /** The enabled rules in the configuration, by name. */
    public static List<AlertRule> all(HubConfig config) {
        Set<String> names = new TreeSet<>();
        for (String key : config.asMap().keySet()) {
            if (key.startsWith(PREFIX) && key.endsWith(".metric")) {
                names.add(key.substring(PREFIX.length(), key.length() - ".metric".length()));
            }
        }
        List<AlertRule> rules = new ArrayList<>();
        for (String name : names) {
            if (config.bool(PREFIX + name + ".enabled")) {
                rules.add(of(config, name));
            }
        }
        return rules;
    }

    static AlertRule of(HubConfig config, String name) {
        String p = PREFIX + name + ".";
        String metric = config.require(p + "metric");
        List<String> groupBy = Arrays.stream(config.get(p + "group-by", "").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        Set<String> allowed = switch (metric) {
            case CLICKS -> Set.of("message_id");
            case SILENCE -> Set.of("esp");
            default -> {
                if (InsightRates.byName(metric) == null) {
                    throw HubConfig.invalid(p + "metric", "not a rate of the insight contract, " + CLICKS + " or "
                            + SILENCE);
                }
                yield InsightReader.COLUMNS.keySet();
            }
        };
        for (String dim : groupBy) {
            if (!allowed.contains(dim)) {
                throw HubConfig.invalid(p + "group-by", "'" + dim + "' is not one of " + new TreeSet<>(allowed));
            }
        }
        double warn = number(config, p + "warn");
        double critical = number(config, p + "critical");
        if (critical < warn) {
            throw HubConfig.invalid(p + "critical", "below " + p + "warn");
        }
        return new AlertRule(name, metric, warn, critical, config.duration(p + "window"),
                config.longValue(p + "min-volume"), groupBy);
    }

    private static double number(HubConfig config, String key) {
        try {
            return Double.parseDouble(config.require(key));
        } catch (NumberFormatException e) {
            throw HubConfig.invalid(key, "not a number");
        }
    }
}
