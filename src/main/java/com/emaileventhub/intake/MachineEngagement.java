package com.emaileventhub.intake;

import com.emaileventhub.config.HubConfig;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.event.Sends;
import com.emaileventhub.http.AddressList;
import com.emaileventhub.store.DeliveredLookup;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The hub's own machine-open and machine-click heuristics, applied to the normalized events of a webhook
 * before they are stored (so the decision uses what is known then, and is stored with the event). An event
 * the ESP already flagged keeps the ESP's reason. In order:
 * <ul>
 *   <li>{@code apple_mpp_proxy}: an open with one of Apple's proxy user agents, or from Apple's proxy addresses;</li>
 *   <li>{@code scanner_user_agent}: an open or click whose user agent contains a known link scanner's name;</li>
 *   <li>{@code click_after_delivery}: a click within {@code hub.insight.scanner-click-seconds} of the send's
 *       delivery (a delivered event stored before, or in the same request).</li>
 * </ul>
 */
public final class MachineEngagement {
    public static final String APPLE_PROXY = "apple_mpp_proxy";
    public static final String SCANNER = "scanner_user_agent";
    public static final String FAST_CLICK = "click_after_delivery";

    private final Set<String> appleAgents;
    private final AddressList appleAddresses;
    private final List<String> scannerAgents;
    private final Duration clickWindow;
    private final DeliveredLookup delivered;

    public MachineEngagement(HubConfig config, DeliveredLookup delivered) {
        this.appleAgents = Set.copyOf(list(config.get("hub.insight.apple-proxy-user-agents")));
        this.appleAddresses = AddressList.parse("hub.insight.apple-proxy-ips", config.get("hub.insight.apple-proxy-ips"));
        this.scannerAgents = list(config.get("hub.insight.scanner-user-agents")).stream()
                .map(s -> s.toLowerCase(Locale.ROOT)).toList();
        this.clickWindow = Duration.ofSeconds(config.integer("hub.insight.scanner-click-seconds"));
        this.delivered = delivered;
    }

    /** The events with the heuristics' findings; those that are not engagement pass unchanged. */
    public List<CanonicalEvent> mark(List<CanonicalEvent> events) {
        Map<String, Instant> deliveredHere = deliveriesIn(events);
        Map<DeliveredLookup.Send, Instant> stored = storedDeliveries(events, deliveredHere);
        List<CanonicalEvent> out = new ArrayList<>(events.size());
        for (CanonicalEvent e : events) {
            String why = e.machine() || !engagement(e) ? null : reason(e, deliveredHere, stored);
            out.add(why == null ? e : e.asMachine(why));
        }
        return out;
    }

    /** The stored deliveries of the sends whose clicks this request may flag, in one lookup for the request. */
    private Map<DeliveredLookup.Send, Instant> storedDeliveries(List<CanonicalEvent> events,
                                                                Map<String, Instant> deliveredHere) {
        if (clickWindow.isZero()) {
            return Map.of();
        }
        Set<DeliveredLookup.Send> sends = new HashSet<>();
        for (CanonicalEvent e : events) {
            if (!e.machine() && e.type() == EventType.CLICKED && Sends.belongsToSend(e)
                    && !deliveredHere.containsKey(sendOf(e))) {
                sends.add(send(e));
            }
        }
        return delivered.deliveredAt(sends);
    }

    private static DeliveredLookup.Send send(CanonicalEvent e) {
        return new DeliveredLookup.Send(e.esp(), e.messageId(), e.recipient());
    }

    private String reason(CanonicalEvent e, Map<String, Instant> deliveredHere, Map<DeliveredLookup.Send, Instant> stored) {
        String agent = e.userAgent();
        if (e.type() == EventType.OPENED && ((agent != null && appleAgents.contains(agent.trim()))
                || appleAddresses.containsLiteral(e.ip()))) {
            return APPLE_PROXY;
        }
        if (agent != null && scannerAgents.stream().anyMatch(agent.toLowerCase(Locale.ROOT)::contains)) {
            return SCANNER;
        }
        if (e.type() == EventType.CLICKED && Sends.belongsToSend(e) && !clickWindow.isZero()) {
            Instant at = deliveredHere.get(sendOf(e));
            if (at == null) {
                at = stored.get(send(e));
            }
            if (at != null && Duration.between(at, e.occurredAt()).abs().compareTo(clickWindow) <= 0) {
                return FAST_CLICK;
            }
        }
        return null;
    }

    private static Map<String, Instant> deliveriesIn(List<CanonicalEvent> events) {
        Map<String, Instant> out = new HashMap<>();
        for (CanonicalEvent e : events) {
            if (e.type() == EventType.DELIVERED && Sends.belongsToSend(e)) {
                out.merge(sendOf(e), e.occurredAt(), (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        return out;
    }

    private static String sendOf(CanonicalEvent e) {
        return e.esp() + '\n' + Sends.sendKey(e.esp(), e.messageId()) + '\n' + e.recipient();
    }

    private static boolean engagement(CanonicalEvent e) {
        return e.type() == EventType.OPENED || e.type() == EventType.CLICKED;
    }

    private static List<String> list(String value) {
        return value == null ? List.of() : Arrays.stream(value.split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).collect(Collectors.toList());
    }
}
