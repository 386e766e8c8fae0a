package com.emaileventhub.esp.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.esp.Requests;
import com.emaileventhub.esp.fuzz.FuzzVendor.WireRequest;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.Json;
import com.emaileventhub.webhook.Normalizer;
import com.emaileventhub.webhook.WebhookRejection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Every event a vendor's normalizer builds, from its sample payloads and from the fuzzer's mutations of them, reads
 * back from the JSON its journal row holds as an equal event. The destinations that follow the journal take the
 * events this instance stored lately from memory ({@code store.RecentEvents}) instead of parsing their rows: they get
 * the same event either way only while this holds.
 */
class StoredEventRoundTripTest {
    private static final Pattern NORMALIZER = Pattern.compile("name: normalizer\\s+value: (\\S+)");

    private static FuzzVendors vendors;
    /** Per vendor route with a normalizer of its own (the declared vendors use the shared one), that normalizer. */
    private static final Map<String, Normalizer> NORMALIZERS = new HashMap<>();
    /** Per vendor, the events compared: every vendor must have had some, or the property proved nothing for it. */
    private static final Map<String, Integer> COMPARED = new ConcurrentHashMap<>();

    @BeforeContainer
    static void load() throws Exception {
        vendors = new FuzzVendors();
        for (FuzzVendor v : vendors.all()) {
            Matcher m = NORMALIZER.matcher(Files.readString(Path.of("routes/webhooks", v.name() + ".camel.yaml")));
            if (m.find()) {
                NORMALIZERS.put(v.name(), (Normalizer) Class.forName(m.group(1)).getDeclaredConstructor().newInstance());
            }
        }
    }

    @Property(tries = 400, seed = "20261129", edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.OFF)
    void every_normalized_event_reads_back_from_its_stored_json_as_an_equal_event(@ForAll("cases") FuzzCase c)
            throws Exception {
        Normalizer normalizer = NORMALIZERS.get(c.vendor().name());
        WireRequest wire = c.request();
        Map<String, String> headers = new HashMap<>(wire.headers());
        if (wire.contentType() != null) {
            headers.put("Content-Type", wire.contentType());
        }
        List<CanonicalEvent> events;
        try {
            events = normalizer.normalize(Requests.request(c.vendor().name(), wire.body(), headers, Map.of()));
        } catch (WebhookRejection refused) {
            return;   // refused: nothing is stored
        }
        for (CanonicalEvent e : events) {
            COMPARED.merge(c.vendor().name(), 1, Integer::sum);
            for (CanonicalEvent stored : List.of(e, e.asMachine("round trip"))) {
                String json = Json.MAPPER.writeValueAsString(stored);
                assertThat(Json.MAPPER.readValue(json, CanonicalEvent.class)).as(c + ": " + json).isEqualTo(stored);
            }
        }
    }

    @AfterContainer
    static void everyVendorWasCompared() {
        assertThat(COMPARED.keySet()).as("vendors whose events were compared").isEqualTo(NORMALIZERS.keySet());
        assertThat(COMPARED.values()).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(10));
    }

    @Provide
    Arbitrary<FuzzCase> cases() {
        List<FuzzVendor> normalized = vendors.all().stream().filter(v -> NORMALIZERS.containsKey(v.name())).toList();
        List<FuzzCategory> accepted = List.of(FuzzCategory.values()).stream().filter(k -> k.mayAccept).toList();
        return Combinators.combine(Arbitraries.of(normalized), Arbitraries.of(accepted), Arbitraries.longs())
                .as((v, k, seed) -> new FuzzCase(WebhookFuzzTest.Db.H2, v, k, seed));
    }
}
