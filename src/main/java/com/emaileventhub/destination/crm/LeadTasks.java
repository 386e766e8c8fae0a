package com.emaileventhub.destination.crm;

import com.emaileventhub.config.HubConfig;
import com.emaileventhub.destination.Delivery;
import com.emaileventhub.destination.lead.LeadNotify;
import com.emaileventhub.event.Json;
import com.emaileventhub.store.LeadStore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * Destination lead-crm (routes/destinations/leads.camel.yaml): finds the signal's recipient among the
 * hub.crm.objects (Contact, then Lead) by email, then upserts one Task on it keyed by the signal id in the
 * external-id field hub.leads.task-id-field, so a retry (even after a lost answer) updates that Task instead of
 * creating a second. A recipient in no object is dead-lettered (replay it once the record exists).
 */
public final class LeadTasks {
    public static final String STATE = "leadTask";

    /** One signal's progress through the route. */
    public static final class Task {
        private final LeadStore.Signal signal;
        private final int objects;
        private int object;
        private String whoId;

        Task(LeadStore.Signal signal, int objects) {
            this.signal = signal;
            this.objects = objects;
        }

        /** True while there is an object left to look the email up in. */
        public boolean looking() {
            return whoId == null && object < objects;
        }

        public boolean found() {
            return whoId != null;
        }
    }

    private final LeadStore store;
    private final List<String> objects;
    private final HubConfig config;
    private final long windowDays;
    private final Clock clock;

    public LeadTasks(HubConfig config, LeadStore store, Clock clock) {
        this.store = store;
        this.config = config;
        this.objects = List.of(config.require("hub.crm.objects").split("\\s*,\\s*"));
        this.windowDays = config.duration("hub.leads.window").toDays();
        this.clock = clock;
    }

    public void begin(Exchange exchange) {
        exchange.setProperty(STATE, new Task(LeadNotify.signal(store, exchange), objects.size()));
    }

    /** Before salesforce:query: SELECT Id, Email FROM the next object WHERE Email IN (the recipient). */
    public void prepareQuery(Exchange exchange) {
        Task t = task(exchange);
        String object = objects.get(t.object);
        exchange.getMessage().setHeader("sObjectQuery", SoqlLookup.soql(object, config.get("hub.crm.filter." + object),
                List.of(t.signal.recipient())));
    }

    public void lookedUp(Exchange exchange) throws IOException {
        Task t = task(exchange);
        t.whoId = SoqlLookup.parse(exchange.getMessage().getBody(byte[].class)).get(t.signal.recipient());
        t.object++;
        if (!t.looking() && t.whoId == null) {
            exchange.setProperty(Delivery.FAILED, Map.of(t.signal.id(), "no " + String.join(" or ", objects)
                    + " has this recipient's email"));
        }
    }

    /** Before salesforce:upsertSObject: the Task's fields; its external id is the signal id. */
    public void prepareTask(Exchange exchange) {
        Task t = task(exchange);
        LeadStore.Signal s = t.signal;
        ObjectNode task = Json.MAPPER.createObjectNode();
        task.put("Subject", "Engaged email lead: " + s.clicks() + " clicks in " + windowDays + " days");
        task.put("WhoId", t.whoId);
        task.put("Priority", "High");
        task.put("Status", "Not Started");
        task.put("ActivityDate", LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusDays(1).toString());
        task.put("Description", "Score " + s.score() + " from " + s.clicks() + " links clicked and " + s.opens()
                + " opens (Email Event Hub).\n" + String.join("\n", s.links()));
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setHeader("sObjectIdValue", s.id());
        exchange.getMessage().setBody(task.toString());
    }

    private static Task task(Exchange exchange) {
        return exchange.getProperty(STATE, Task.class);
    }
}
