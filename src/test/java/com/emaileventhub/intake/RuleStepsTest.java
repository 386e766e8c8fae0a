package com.emaileventhub.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.emaileventhub.event.BounceType;
import com.emaileventhub.event.CanonicalEvent;
import com.emaileventhub.event.EventType;
import com.emaileventhub.telemetry.HubMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Producer;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/**
 * The fan-out rules evaluated in place ({@link RuleSteps}) choose what the rules route chooses, event for event: the
 * shipped rules and an integrator's file with choice, otherwise, nested filters, body fields, regex, {@code not in},
 * computed values and a rule that fails on some events.
 */
class RuleStepsTest {
    /** Every step kind RuleSteps compiles, and predicates over headers and the body view. */
    static final String RICH = """
            - route:
                id: fanout-rules
                from:
                  uri: direct:fanout-rules
                  steps:
                    - setProperty:
                        name: dest.analytics
                        simple: "${header.esp} != 'mandrill'"
                    - choice:
                        when:
                          - simple: "${header.type} == 'bounced' && ${header.bounceType} == 'hard'"
                            steps:
                              - setProperty:
                                  name: dest.suppression
                                  constant: true
                              - filter:
                                  simple: "${body.reason} regex '.*(5\\\\.1\\\\.1|unknown).*'"
                                  steps:
                                    - setProperty:
                                        name: dest.crm
                                        constant: true
                          - simple: "${header.type} in 'opened, clicked'"
                            steps:
                              - setProperty:
                                  name: dest.leads
                                  constant: true
                        otherwise:
                          steps:
                            - setProperty:
                                name: dest.other
                                constant: "true"
                    - filter:
                        simple: "${header.type} not in 'delivered,sent,queued' && ${body.tags} contains 'vip'"
                        steps:
                          - setProperty:
                              name: dest.vip
                              constant: true
                    - filter:
                        simple: "${header.url} contains '{{hub.drip.link}}' && ${body.event.machine} == false"
                        steps:
                          - setProperty:
                              name: dest.drip
                              constant: true
                    - filter:
                        simple: "${body.metadata[plan]} == 'pro'"
                        steps:
                          - setProperty:
                              name: dest.analytics
                              constant: false
                    - filter:
                        # fails on events without a plan: both paths must fail alike
                        simple: "${body.metadata[plan].length()} > 3"
                        steps:
                          - setProperty:
                              name: dest.internal
                              constant: true
            """;

    /** Per context, one producer calling its rules route. */
    private static final Map<CamelContext, Producer> PRODUCERS = new HashMap<>();
    private static CamelContext shipped;
    private static CamelContext rich;
    private static int compared;
    private static int failedAlike;

    @BeforeContainer
    static void start() throws Exception {
        shipped = context(Files.readString(Path.of("routes/fanout.camel.yaml")));
        rich = context(RICH);
        for (CamelContext context : List.of(shipped, rich)) {
            Producer producer = context.getEndpoint(Fanout.RULES_ENDPOINT).createProducer();
            producer.start();
            PRODUCERS.put(context, producer);
        }
    }

    @AfterContainer
    static void stop() {
        shipped.stop();
        rich.stop();
        // the property proved something only if both kinds of outcome were compared
        assertThat(compared).isGreaterThan(400);
        assertThat(failedAlike).isGreaterThan(10);
    }

    static CamelContext context(String yaml) throws Exception {
        CamelContext context = new DefaultCamelContext();
        Properties props = new Properties();
        props.setProperty("hub.drip.link", "/pricing");
        context.getPropertiesComponent().setInitialProperties(props);
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("rules.camel.yaml", yaml));
        context.start();
        return context;
    }

    @Property(tries = 300, seed = "20261129")
    void the_steps_choose_what_the_route_chooses(@ForAll("events") CanonicalEvent event) throws Exception {
        for (CamelContext context : List.of(shipped, rich)) {
            RuleSteps steps = compiled(context);
            Exchange inPlace = Fanout.exchangeFor(context, event);
            Exception thrown = null;
            try {
                steps.apply(inPlace);
            } catch (Exception e) {
                thrown = e;
            }
            Exchange routed = Fanout.exchangeFor(context, event);
            PRODUCERS.get(context).process(routed);
            boolean routeFailed = routed.getException() != null;
            boolean stepsFailed = thrown != null || inPlace.getException() != null;
            assertThat(stepsFailed).as("failed, for %s", event).isEqualTo(routeFailed);
            if (routeFailed) {
                failedAlike++;
            } else {
                assertThat(destinations(inPlace)).as("%s", event).isEqualTo(destinations(routed));
                compared++;
            }
        }
    }

    @Example
    void a_step_it_does_not_know_makes_the_rules_run_as_the_route() throws Exception {
        String logged = RICH.replace("        - setProperty:\n            name: dest.analytics\n",
                "        - log: \"rules for ${header.type}\"\n        - setProperty:\n            name: dest.analytics\n");
        assertThat(logged).isNotEqualTo(RICH);
        CamelContext context = context(logged);
        try {
            Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
            RuleSteps.Compiled compiled = RuleSteps.compile(context, model.getRouteDefinition("fanout-rules"));
            assertThat(compiled.steps()).isEmpty();
            assertThat(compiled.reason()).isEqualTo("step log is not setProperty, filter or choice");

            // the fan-out says so, and still chooses by the route: a suppression-list bounce
            Fanout fanout = new Fanout(context, name -> true, new HubMetrics(new SimpleMeterRegistry()));
            assertThat(fanout.mode()).isEqualTo("run as a route (step log is not setProperty, filter or choice)");
            CanonicalEvent bounce = CanonicalEvent.builder("postmark").type(EventType.BOUNCED).bounceType(BounceType.HARD)
                    .recipient("a@example.com").reason("550 5.1.1 unknown").metadata("plan", "free")
                    .build(Instant.parse("2026-11-29T10:00:00Z"), null);
            Exchange routed = Fanout.exchangeFor(context, bounce);
            context.createProducerTemplate().send(Fanout.RULES_ENDPOINT, routed);
            assertThat(destinations(routed)).containsOnlyKeys("dest.analytics", "dest.suppression", "dest.crm", "dest.internal");
            // this context has no delivery routes: the fan-out keeps none of the names, but it ran the route
            assertThat(fanout.select(List.of(bounce))).containsEntry(bounce.id(), List.of());
        } finally {
            context.stop();
        }
    }

    @Example
    void the_shipped_rules_are_evaluated_in_place() {
        Fanout fanout = new Fanout(shipped, name -> true, new HubMetrics(new SimpleMeterRegistry()));
        assertThat(fanout.mode()).isEqualTo("evaluated in place");
    }

    static RuleSteps compiled(CamelContext context) {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        RuleSteps.Compiled compiled = RuleSteps.compile(context, model.getRouteDefinition("fanout-rules"));
        assertThat(compiled.reason()).isNull();
        return compiled.steps().orElseThrow();
    }

    private static Map<String, Object> destinations(Exchange exchange) {
        Map<String, Object> out = new TreeMap<>();
        exchange.getProperties().forEach((k, v) -> {
            if (k.startsWith("dest.")) {
                out.put(k, v);
            }
        });
        return out;
    }

    @Provide
    Arbitrary<CanonicalEvent> events() {
        Arbitrary<String> esp = Arbitraries.of("sendgrid", "postmark", "mandrill", "ses");
        Arbitrary<EventType> type = Arbitraries.of(EventType.class);
        Arbitrary<BounceType> bounce = Arbitraries.of(BounceType.HARD, BounceType.SOFT).injectNull(0.3);
        Arbitrary<String> recipient = Arbitraries.of("a@example.com", "b@example.org").injectNull(0.2);
        Arbitrary<String> url = Arbitraries.of("https://x.test/pricing?p=1", "https://x.test/blog").injectNull(0.3);
        Arbitrary<String> reason = Arbitraries.of("550 5.1.1 user unknown", "mailbox full").injectNull(0.3);
        Arbitrary<List<String>> tags = Arbitraries.of("vip", "trial", "news").list().ofMaxSize(2);
        Arbitrary<Extras> extras = Combinators.combine(Arbitraries.of("pro", "free").injectNull(0.1),
                Arbitraries.of(true, false)).as(Extras::new);
        return Combinators.combine(esp, type, bounce, recipient, url, reason, tags, extras).as(
                (e, t, b, r, u, why, tg, x) -> CanonicalEvent.builder(e).type(t).bounceType(b).recipient(r)
                        .messageId("m-1").url(u).reason(why).tags(tg).metadata("plan", x.plan())
                        .machine(x.machine() ? "scanner" : null).build(Instant.parse("2026-11-29T10:00:00Z"), null));
    }

    record Extras(String plan, boolean machine) {
    }
}
