import com.emaileventhub.Hub;
import com.emaileventhub.destination.Delivery;
import com.emaileventhub.destination.analytics.DestinationTestHub;
import com.emaileventhub.destination.analytics.FakeImportApi;
import com.emaileventhub.destination.crm.CrmDelivery;
import com.emaileventhub.destination.crm.FakeSalesforce;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.store.Journal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;

/**
 * Destinations benchmark (see bench/README.md): Salesforce API calls per 1,000 events for a realistic
 * engagement mix, and the analytics drain rate, both against local fakes on loopback.
 * Run from the project root: bench/run-destinations.sh
 */
public class DestinationsBench {
    public static void main(String[] args) throws Exception {
        int crmEvents = Integer.getInteger("crm.events", 10_000);
        int recipients = Integer.getInteger("crm.recipients", 200);
        int analyticsEvents = Integer.getInteger("analytics.events", 100_000);
        crm(crmEvents, recipients, new int[] {100, 250, 500, 1000});
        analytics(analyticsEvents, 2000, 1);
        analytics(analyticsEvents, 2000, 2);
        System.exit(0);
    }

    /** The CRM's share of a realistic stream: opens and clicks dominate; a few bounces and opt-outs. */
    static List<CanonicalEvent> crmMix(int n, int recipients, Random random, Instant start) {
        List<CanonicalEvent> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double p = random.nextDouble();
            EventType type = p < 0.62 ? EventType.OPENED : p < 0.94 ? EventType.CLICKED : p < 0.97 ? EventType.BOUNCED
                    : p < 0.99 ? EventType.UNSUBSCRIBED : EventType.COMPLAINED;
            // a skewed audience: some recipients open a lot, most a little
            int r = (int) Math.floor(Math.pow(random.nextDouble(), 1.5) * recipients);
            out.add(DestinationTestHub.event(type, "r" + r + "@bench.example.com", start.plusMillis(i * 250L)));
        }
        return out;
    }

    static void crm(int events, int recipients, int[] batchSizes) throws Exception {
        System.out.printf("%nCRM (Salesforce fake): %d events, %d distinct recipients (85%% Contacts, 10%% Leads, 5%% unknown)%n",
                events, recipients);
        System.out.println("engine batch | API calls | calls per 1,000 events | first 1,000 events (cold cache) | ms");
        for (int batchSize : batchSizes) {
            try (FakeSalesforce salesforce = new FakeSalesforce()) {
                for (int r = 0; r < recipients; r++) {
                    String email = "r" + r + "@bench.example.com";
                    if (r % 20 == 19) {
                        continue;   // in no object
                    }
                    if (r % 10 == 9) {
                        salesforce.with("Lead", email, String.format("00Q%012d", r));
                    } else {
                        salesforce.with("Contact", email, String.format("003%012d", r));
                    }
                }
                try (Hub hub = DestinationTestHub.start(Map.of(
                        "hub.crm.enabled", "true",
                        "camel.component.salesforce.loginUrl", salesforce.url(),
                        "camel.component.salesforce.authenticationType", "CLIENT_CREDENTIALS",
                        "camel.component.salesforce.clientId", "bench",
                        "camel.component.salesforce.clientSecret", "bench"))) {
                    List<CanonicalEvent> all = crmMix(events, recipients, new Random(42), Instant.parse("2026-03-04T00:00:00Z"));
                    new Journal(hub.database()).store("postmark", null, all, Map.of(), Instant.now());
                    CrmDelivery crm = hub.context().getRegistry().lookupByNameAndType("crmDelivery", CrmDelivery.class);
                    ProducerTemplate template = hub.context().createProducerTemplate();
                    long callsAfterFirstThousand = -1;
                    long t0 = System.nanoTime();
                    for (int from = 0; from < all.size(); from += batchSize) {
                        deliver(hub, template, "crm", all.subList(from, Math.min(all.size(), from + batchSize)));
                        if (callsAfterFirstThousand < 0 && from + batchSize >= 1000) {
                            callsAfterFirstThousand = crm.apiCalls();
                        }
                    }
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    System.out.printf("%12d | %9d | %22.1f | %31d | %d%n", batchSize, crm.apiCalls(),
                            crm.apiCalls() * 1000.0 / events, callsAfterFirstThousand, ms);
                }
            }
        }
    }

    static void analytics(int events, int batchSize, int threads) throws Exception {
        try (FakeImportApi api = new FakeImportApi()) {
            api.keepRequests(false);
            try (Hub hub = DestinationTestHub.start(Map.of(
                    "hub.analytics.enabled", "true",
                    "hub.analytics.url", api.url(),
                    "hub.analytics.project-id", "1",
                    "hub.analytics.username", "bench",
                    "hub.analytics.password", "bench"))) {
                Random random = new Random(7);
                List<List<CanonicalEvent>> batches = new ArrayList<>();
                List<CanonicalEvent> batch = new ArrayList<>();
                Instant start = Instant.parse("2026-03-04T00:00:00Z");
                EventType[] types = {EventType.DELIVERED, EventType.OPENED, EventType.OPENED, EventType.CLICKED, EventType.SENT};
                for (int i = 0; i < events; i++) {
                    batch.add(DestinationTestHub.event(types[random.nextInt(types.length)], "u" + random.nextInt(50_000) + "@bench.example.com",
                            start.plusMillis(i)));
                    if (batch.size() == batchSize) {
                        batches.add(batch);
                        batch = new ArrayList<>();
                    }
                }
                if (!batch.isEmpty()) {
                    batches.add(batch);
                }
                ProducerTemplate template = hub.context().createProducerTemplate();
                deliver(hub, template, "analytics", batches.get(0));   // warm-up (connection, JIT)
                long before = api.eventCount();
                ExecutorService pool = Executors.newFixedThreadPool(threads);
                long t0 = System.nanoTime();
                List<Future<?>> futures = new ArrayList<>();
                for (List<CanonicalEvent> b : batches) {
                    futures.add(pool.submit(() -> deliver(hub, template, "analytics", b)));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                pool.shutdown();
                long received = api.eventCount() - before;
                System.out.printf("%nAnalytics drain: %d events in batches of %d, %d sender thread(s): %.1f s, %.0f events/s (fake received %d)%n",
                        events, batchSize, threads, seconds, events / seconds, received);
            }
        }
    }

    static void deliver(Hub hub, ProducerTemplate template, String destination, List<CanonicalEvent> events) {
        Exchange exchange = new DefaultExchange(hub.context());
        exchange.setProperty(Delivery.DESTINATION, destination);
        exchange.getMessage().setBody(events);
        Exchange result = template.send(Delivery.endpoint(destination), exchange);
        if (result.getException() != null) {
            throw new IllegalStateException(result.getException());
        }
    }
}
