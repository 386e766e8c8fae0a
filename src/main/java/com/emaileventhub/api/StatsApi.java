package com.emaileventhub.api;

import com.emaileventhub.event.Json;
import com.emaileventhub.store.InsightDetails;
import com.emaileventhub.store.InsightQuery;
import com.emaileventhub.store.InsightQuery.Filter;
import com.emaileventhub.store.InsightRollups;
import com.emaileventhub.webhook.HttpAnswer;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;

/** GET /api/stats, /api/stats/links and /api/stats/bounce-reasons (the insight contract). */
public final class StatsApi {
    private static final Map<String, String> COLUMNS = Map.of("esp", "esp", "recipient_domain", "recipient_domain",
            "mailbox_provider", "mailbox_provider", "tag", "tagset");
    /** Quarter-hour rows younger than the retention by this margin are certainly kept (maintenance runs hourly). */
    private static final Duration MARGIN = Duration.ofDays(1);

    private final InsightQuery query;
    private final InsightDetails details;
    private final Clock clock;
    private final Duration fineRetention;

    public StatsApi(InsightQuery query, Clock clock, Duration fineRetention) {
        this.query = query;
        this.details = new InsightDetails(query);
        this.clock = clock;
        this.fineRetention = fineRetention;
    }

    public void stats(Exchange exchange) {
        Instant now = clock.instant();
        StatsRequest r = StatsRequest.parse(QueryString.of(exchange.getMessage(), StatsRequest.parameters()), now);
        long fineFrom = now.minus(fineRetention).plus(MARGIN).toEpochMilli();
        StatsPlan plan = new StatsPlan(r.from().toEpochMilli(), r.to().toEpochMilli(), r.bucket(), r.tz(), fineFrom);
        Map<String, List<String>> tagsets = query.tagsets();
        Filter filter = filter(r.filters(), tagsets);
        boolean byDomain = r.groupBy().contains("recipient_domain") || r.filters().containsKey("recipient_domain");
        List<String> columns = r.groupBy().stream().map(COLUMNS::get).toList();
        StatsAnswer answer = new StatsAnswer(r, plan::bucketStart, tagsets);
        query.rollups(byDomain ? InsightRollups.DAY_BY_DOMAIN : InsightRollups.DAY_BY_PROVIDER, plan.days, filter,
                columns, answer::add);
        query.rollups(byDomain ? InsightRollups.QUARTER_BY_DOMAIN : InsightRollups.QUARTER_BY_PROVIDER, plan.quarters,
                filter, columns, answer::add);
        query.units(plan.units, filter, answer::add);
        HttpAnswer.respond(exchange, 200, answer.json());
    }

    public void links(Exchange exchange) {
        QueryString q = QueryString.of(exchange.getMessage(), Set.of("from", "to", "tag", "esp", "limit"));
        Instant[] range = StatsRequest.range(q, clock.instant());
        Map<String, Set<String>> f = filter(StatsRequest.filters(q, List.of("esp", "tag")), query.tagsets()).values();
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode links = root.putArray("links");
        for (InsightDetails.Link l : details.links(range[0].toEpochMilli(), range[1].toEpochMilli(), f.get("esp"),
                f.get("tagset"), Params.limit(exchange.getMessage()))) {
            ObjectNode o = links.addObject();
            o.put("url", l.url());
            o.put("clicks", l.clicks());
            o.put("clicked", l.clicked());
            o.put("machine_clicks", l.machineClicks());
        }
        HttpAnswer.respond(exchange, 200, root.toString());
    }

    public void bounceReasons(Exchange exchange) {
        QueryString q = QueryString.of(exchange.getMessage(), Set.of("from", "to", "esp", "recipient_domain", "limit"));
        Instant[] range = StatsRequest.range(q, clock.instant());
        Map<String, Set<String>> f = filter(StatsRequest.filters(q, List.of("esp", "recipient_domain")), Map.of()).values();
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode reasons = root.putArray("reasons");
        for (InsightDetails.BounceReason b : details.bounceReasons(range[0].toEpochMilli(), range[1].toEpochMilli(),
                f.get("esp"), f.get("recipient_domain"), Params.limit(exchange.getMessage()))) {
            ObjectNode o = reasons.addObject();
            o.put("reason", b.reason());
            o.put("bounce_type", b.bounceType());
            o.put("sends", b.sends());
        }
        HttpAnswer.respond(exchange, 200, root.toString());
    }

    /** Filters by stored column: tags become the tag sets holding any of them ('' for "no tag"). */
    private static Filter filter(Map<String, Set<String>> given, Map<String, List<String>> tagsets) {
        Map<String, Set<String>> out = new HashMap<>();
        given.forEach((dim, values) -> {
            if (dim.equals("tag")) {
                Set<String> keys = new HashSet<>();
                if (values.contains("")) {
                    keys.add(InsightQuery.NONE);
                }
                tagsets.forEach((key, tags) -> {
                    if (tags.stream().anyMatch(values::contains)) {
                        keys.add(key);
                    }
                });
                out.put("tagset", keys);
            } else {
                Set<String> v = new LinkedHashSet<>();
                values.forEach(s -> v.add(dim.equals("recipient_domain") ? s.toLowerCase(Locale.ROOT) : s));
                out.put(COLUMNS.get(dim), v);
            }
        });
        return new Filter(out);
    }
}
