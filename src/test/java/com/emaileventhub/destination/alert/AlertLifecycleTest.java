package com.emaileventhub.destination.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.emaileventhub.config.HubConfig;
import com.emaileventhub.store.AlertStore;
import com.emaileventhub.store.AlertStore.Alert;
import com.emaileventhub.store.AlertStore.Change;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The alert lifecycle over a simulated clock (minutes), and rules read from configuration alone. */
class AlertLifecycleTest {
    private static final long MINUTE = 60_000;
    private final AlertRule rule = AlertRule.of(HubConfig.load(Map.of()), "hard-bounce-rate");
    private final AlertLifecycle lifecycle = new AlertLifecycle(Duration.ofHours(24), Duration.ofHours(1));
    private final Map<String, Alert> firing = new HashMap<>();
    private final Map<String, String> group = new LinkedHashMap<>(Map.of("esp", "ses"));

    @Test
    void a_value_hovering_at_warn_notifies_once_and_resolves_only_after_an_hour_below() {
        StringBuilder actions = new StringBuilder();
        for (int minute = 0; minute < 240; minute++) {
            double value = minute < 120 ? (minute % 2 == 0 ? 0.021 : 0.019) : 0.01;   // flaps, then stays low
            actions.append(step(minute, value));
        }
        // last above warn at minute 118, below from 119 on: resolved at 119 + 60
        assertThat(actions.toString()).isEqualTo("trigger@0 resolve@179 ");
    }

    @Test
    void warning_escalates_to_critical_once_and_renotifies_daily() {
        String actions = step(0, 0.03) + step(10, 0.06) + step(20, 0.03) + step(30, 0.07)
                + step(24 * 60 + 10, 0.03) + step(24 * 60 + 11, 0.03);
        assertThat(actions).isEqualTo("trigger@0 escalate@10 renotify@1450 ");
        assertThat(firing.values()).singleElement().extracting(Alert::severity).isEqualTo("critical");
    }

    @Test
    void below_min_volume_a_group_is_silent() {
        assertThat(AlertEngine.rateReading(rule, 100, 199)).isNull();
        assertThat(AlertEngine.rateReading(rule, 100, 200).value()).isEqualTo(0.5);
    }

    @Test
    void an_integrator_adds_a_rule_with_configuration_only() {
        HubConfig config = HubConfig.load(Map.of("hub.alerts.gmail-deferrals.metric", "bounce_rate",
                "hub.alerts.gmail-deferrals.enabled", "true", "hub.alerts.gmail-deferrals.warn", "0.1",
                "hub.alerts.gmail-deferrals.critical", "0.2", "hub.alerts.gmail-deferrals.window", "PT1H",
                "hub.alerts.gmail-deferrals.min-volume", "100",
                "hub.alerts.gmail-deferrals.group-by", "mailbox_provider,tag",
                "hub.alerts.click-burst.enabled", "false"));
        assertThat(AlertRule.all(config)).extracting(AlertRule::name)
                .containsExactly("complaint-rate", "gmail-deferrals", "hard-bounce-rate", "webhook-silence");
        AlertRule added = AlertRule.of(config, "gmail-deferrals");
        assertThat(added.groupBy()).containsExactly("mailbox_provider", "tag");
        assertThat(added.window()).isEqualTo(Duration.ofHours(1));
        assertThat(AlertLifecycle.dedupKey("gmail-deferrals", new LinkedHashMap<>(Map.of("mailbox_provider", "gmail"))))
                .isEqualTo("gmail-deferrals:mailbox_provider=gmail");
    }

    @Test
    void a_rule_with_an_unknown_metric_or_dimension_stops_start_up_naming_the_key() {
        assertThatThrownBy(() -> AlertRule.of(HubConfig.load(Map.of("hub.alerts.hard-bounce-rate.metric", "bouncy")),
                "hard-bounce-rate")).hasMessageContaining("hub.alerts.hard-bounce-rate.metric");
        assertThatThrownBy(() -> AlertRule.of(HubConfig.load(Map.of("hub.alerts.click-burst.group-by", "esp")),
                "click-burst")).hasMessageContaining("hub.alerts.click-burst.group-by");
    }

    /** One evaluation at the minute; returns "action@minute " when it notifies. */
    private String step(long minute, double value) {
        long now = minute * MINUTE;
        List<Change> changes = lifecycle.decide(rule, Map.of(group, new Reading(value, null, null)), Map.copyOf(firing),
                now);
        StringBuilder out = new StringBuilder();
        for (Change c : changes) {
            if (AlertStore.FIRING.equals(c.alert().status())) {
                firing.put(c.alert().dedupKey(), c.alert());
            } else {
                firing.remove(c.alert().dedupKey());
            }
            if (c.action() != null) {
                out.append(c.action()).append('@').append(minute).append(' ');
            }
        }
        return out.toString();
    }
}
