package com.emaileventhub.api;

import com.emaileventhub.event.Json;
import com.emaileventhub.store.InsightDetails;
import com.emaileventhub.store.InsightPlan;
import com.emaileventhub.store.InsightQuery;
import com.emaileventhub.store.InsightReader;
import com.emaileventhub.webhook.HttpAnswer;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;

/** GET /api/stats, /api/stats/links and /api/stats/bounce-reasons (the insight contract). */
public final class StatsApi {
    private final InsightReader reader;
    private final InsightDetails details;
    private final Clock clock;

    public StatsApi(InsightQuery query, Clock clock, Duration fineRetention) {
        this.reader = new InsightReader(query, clock, fineRetention);
        this.details = new InsightDetails(query);
        this.clock = clock;
    }

    public void stats(Exchange exchange) {
        StatsRequest r = StatsRequest.parse(QueryString.of(exchange.getMessage(), StatsRequest.parameters()),
                clock.instant());
        Map<String, List<String>> tagsets = reader.tagsets();
        List<InsightQuery.Row> rows = new ArrayList<>();
        InsightPlan plan = reader.read(new InsightReader.Request(r.from().toEpochMilli(), r.to().toEpochMilli(),
                r.bucket(), r.tz(), r.groupBy(), r.filters()), tagsets, rows::add);
        StatsAnswer answer = new StatsAnswer(r, plan::bucketStart, tagsets);
        rows.forEach(answer::add);
        HttpAnswer.respond(exchange, 200, answer.json());
    }

    public void links(Exchange exchange) {
        QueryString q = QueryString.of(exchange.getMessage(), Set.of("from", "to", "tag", "esp", "limit"));
        Instant[] range = StatsRequest.range(q, clock.instant());
        Map<String, Set<String>> f = InsightReader.filter(StatsRequest.filters(q, List.of("esp", "tag")), reader.tagsets()).values();
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode links = root.putArray("links");
        for (InsightDetails.Link l : details.links(reader.plan(range[0].toEpochMilli(), range[1].toEpochMilli()), f.get("esp"),
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
        Map<String, Set<String>> f = InsightReader.filter(StatsRequest.filters(q, List.of("esp", "recipient_domain")), Map.of()).values();
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode reasons = root.putArray("reasons");
        for (InsightDetails.BounceReason b : details.bounceReasons(reader.plan(range[0].toEpochMilli(), range[1].toEpochMilli()),
                f.get("esp"), f.get("recipient_domain"), Params.limit(exchange.getMessage()))) {
            ObjectNode o = reasons.addObject();
            o.put("reason", b.reason());
            o.put("bounce_type", b.bounceType());
            o.put("sends", b.sends());
        }
        HttpAnswer.respond(exchange, 200, root.toString());
    }
}
