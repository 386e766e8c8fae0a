package com.emaileventhub.destination.lead;

import com.emaileventhub.config.HubConfig;
import com.emaileventhub.destination.Delivery;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.store.JournalCursor;
import com.emaileventhub.store.LeadStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leads destination (routes/destinations/leads.camel.yaml): scores recipients from human clicks (and opens,
 * with hub.leads.open-points), resets them on a complaint or unsubscribe, and signals an engaged lead when the
 * score reaches hub.leads.threshold, at most once per hub.leads.cooldown. Each signal is queued for the CRM
 * Task (destination lead-crm, with the CRM on) and the notification (lead-notify, with hub.leads.notify-url).
 */
public final class LeadScoring {
    public static final String CRM = "lead-crm";
    public static final String NOTIFY = "lead-notify";
    private static final Logger LOG = LoggerFactory.getLogger(LeadScoring.class);

    private final LeadStore store;
    private final LeadStore.Scoring scoring;
    private final List<String> channels = new ArrayList<>();
    private final Clock clock;

    public LeadScoring(HubConfig config, LeadStore store, Clock clock) {
        this.store = store;
        this.scoring = new LeadStore.Scoring(config.integer("hub.leads.click-points"),
                config.integer("hub.leads.open-points"), config.integer("hub.leads.threshold"),
                config.duration("hub.leads.window").toMillis(), config.duration("hub.leads.cooldown").toMillis());
        if (config.bool("hub.crm.enabled")) {
            channels.add(CRM);
        }
        if (config.get("hub.leads.notify-url") != null) {
            channels.add(NOTIFY);
        }
        this.clock = clock;
    }

    /** Drops the clicks and opens older than the scoring window (route leads-maintenance). */
    public void purge() {
        int purged = store.purge(clock.millis() - scoring.window());
        if (purged > 0) {
            LOG.info("leads maintenance: removed {} clicks and opens older than the scoring window", purged);
        }
    }

    /**
     * The leads destination: scores a batch in one transaction. A batch read from the journal moves the cursor in that
     * transaction and ends with a Boolean body (whether it did: {@link Delivery#JOURNAL_ADVANCE}).
     */
    @SuppressWarnings("unchecked")
    public void apply(Exchange exchange) {
        List<CanonicalEvent> events = exchange.getMessage().getBody(List.class);
        JournalCursor.Advance advance = exchange.getProperty(Delivery.JOURNAL_ADVANCE, JournalCursor.Advance.class);
        List<LeadStore.Signal> signals = store.apply(events, advance, clock.millis(), scoring, channels);
        for (LeadStore.Signal s : signals == null ? List.<LeadStore.Signal>of() : signals) {
            LOG.info("engaged lead: score {} ({} links clicked, {} opens)", s.score(), s.clicks(), s.opens());
        }
        if (advance != null) {
            exchange.getMessage().setBody(signals != null);
        }
    }
}
