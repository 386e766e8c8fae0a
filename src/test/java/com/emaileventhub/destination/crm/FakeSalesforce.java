package com.emaileventhub.destination.crm;

import com.emaileventhub.event.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of Salesforce's REST API that camel-salesforce uses for the CRM destination, on a JDK
 * HttpServer: OAuth token (and revoke), SOQL query (Id, Email by Email IN), sObject Collections
 * PATCH. Failure injection: session expiry, API limit, per-record errors, refused login.
 */
public final class FakeSalesforce implements AutoCloseable {
    public static final String API = "/services/data/v60.0";
    private static final Pattern FROM = Pattern.compile("FROM\\s+(\\w+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern QUOTED = Pattern.compile("'((?:\\\\.|[^'\\\\])*)'");

    /** One sObject Collections call: the records as sent. */
    public record Update(boolean allOrNone, List<JsonNode> records) {
    }

    private final HttpServer server;
    private final AtomicInteger tokenCalls = new AtomicInteger();
    private final Set<String> validTokens = ConcurrentHashMap.newKeySet();
    private final Map<String, Map<String, String>> records = new ConcurrentHashMap<>();   // object -> email -> Id
    private final Map<String, String[]> recordErrors = new ConcurrentHashMap<>();          // Id -> {code, message}
    private final Map<String, Map<String, JsonNode>> state = new ConcurrentHashMap<>();   // Id -> field -> value
    private final List<String> queries = new CopyOnWriteArrayList<>();
    private final List<Update> updates = new CopyOnWriteArrayList<>();
    /** Upserted records: "Object/field/value" -> the fields as last sent. */
    private final Map<String, JsonNode> upserted = new ConcurrentHashMap<>();
    private final AtomicInteger upsertCalls = new AtomicInteger();
    /** Upserts that are written and then answered 500, as when the answer is lost. */
    private final AtomicInteger loseUpsertAnswers = new AtomicInteger();
    private final AtomicInteger unauthorizedAnswers = new AtomicInteger();
    private volatile boolean limitExceeded;
    private volatile boolean refuseLogin;

    public FakeSalesforce() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/services/oauth2/token", this::token);
        server.createContext("/services/oauth2/revoke", ex -> send(ex, 200, ""));
        server.createContext(API + "/query", this::query);
        server.createContext(API + "/composite/sobjects", this::collections);
        server.createContext(API + "/sobjects/", this::upsert);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    // --- set-up ------------------------------------------------------------------------------

    public FakeSalesforce with(String object, String email, String id) {
        records.computeIfAbsent(object, k -> new ConcurrentHashMap<>()).put(email, id);
        return this;
    }

    public void failRecord(String id, String code, String message) {
        recordErrors.put(id, new String[] {code, message});
    }

    /** Every token issued so far stops working, as when a session times out. */
    public void expireSessions() {
        validTokens.clear();
    }

    public void limitExceeded(boolean on) {
        limitExceeded = on;
    }

    public void refuseLogin(boolean on) {
        refuseLogin = on;
    }

    public void reset() {
        queries.clear();
        updates.clear();
        recordErrors.clear();
        limitExceeded = false;
        refuseLogin = false;
    }

    // --- what happened -----------------------------------------------------------------------

    public int tokenCalls() {
        return tokenCalls.get();
    }

    public int unauthorizedAnswers() {
        return unauthorizedAnswers.get();
    }

    public List<String> queries() {
        return queries;
    }

    public List<Update> updates() {
        return updates;
    }

    /** The current value of a field of a record, after all updates. */
    public JsonNode field(String id, String field) {
        return state.getOrDefault(id, Map.of()).get(field);
    }

    public Map<String, JsonNode> upserted() {
        return upserted;
    }

    public int upsertCalls() {
        return upsertCalls.get();
    }

    /** The next {@code n} upserts are written but answered 500. */
    public void loseUpsertAnswers(int n) {
        loseUpsertAnswers.set(n);
    }

    // --- handlers ----------------------------------------------------------------------------

    /** PATCH /sobjects/{object}/{externalIdField}/{value}: an upsert on an external id (201 created, 200 updated). */
    private void upsert(HttpExchange ex) throws IOException {
        byte[] in = ex.getRequestBody().readAllBytes();
        if (!"PATCH".equals(ex.getRequestMethod())) {
            send(ex, 405, "[]");
            return;
        }
        if (!authorized(ex)) {
            return;
        }
        upsertCalls.incrementAndGet();
        String key = ex.getRequestURI().getPath().substring((API + "/sobjects/").length());
        boolean created = upserted.put(key, Json.MAPPER.readTree(in)) == null;
        if (loseUpsertAnswers.getAndDecrement() > 0) {
            send(ex, 500, "[{\"message\":\"lost\",\"errorCode\":\"UNKNOWN_EXCEPTION\"}]");
            return;
        }
        String id = "00T" + Integer.toHexString(key.hashCode());
        send(ex, created ? 201 : 200, "{\"id\":\"" + id + "\",\"success\":true,\"errors\":[],\"created\":" + created + "}");
    }

    private void token(HttpExchange ex) throws IOException {
        ex.getRequestBody().readAllBytes();
        tokenCalls.incrementAndGet();
        if (refuseLogin) {
            send(ex, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"authentication failure\"}");
            return;
        }
        String token = "tok-" + tokenCalls.get();
        validTokens.add(token);
        send(ex, 200, "{\"access_token\":\"" + token + "\",\"instance_url\":\"" + url() + "\","
                + "\"id\":\"" + url() + "/id/00D000000000001AAA/005000000000001AAA\",\"token_type\":\"Bearer\","
                + "\"issued_at\":\"" + System.currentTimeMillis() + "\",\"signature\":\"c2ln\"}");
    }

    private boolean authorized(HttpExchange ex) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !validTokens.contains(auth.replaceFirst("^Bearer ", ""))) {
            unauthorizedAnswers.incrementAndGet();
            send(ex, 401, "[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]");
            return false;
        }
        if (limitExceeded) {
            send(ex, 403, "[{\"message\":\"TotalRequests Limit exceeded.\",\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]");
            return false;
        }
        return true;
    }

    private void query(HttpExchange ex) throws IOException {
        ex.getRequestBody().readAllBytes();
        if (!authorized(ex)) {
            return;
        }
        String raw = ex.getRequestURI().getRawQuery();
        String soql = URLDecoder.decode(raw.substring(raw.indexOf("q=") + 2), StandardCharsets.UTF_8);
        queries.add(soql);
        Matcher from = FROM.matcher(soql);
        from.find();
        String object = from.group(1);
        Map<String, String> known = records.getOrDefault(object, Map.of());
        ArrayNode out = Json.MAPPER.createArrayNode();
        Matcher m = QUOTED.matcher(soql.substring(soql.indexOf("Email IN")));
        while (m.find()) {
            String email = m.group(1).replace("\\'", "'").replace("\\\\", "\\");
            known.forEach((e, id) -> {
                if (e.equalsIgnoreCase(email)) {
                    ObjectNode r = out.addObject();
                    r.putObject("attributes").put("type", object).put("url", API + "/sobjects/" + object + "/" + id);
                    r.put("Id", id);
                    r.put("Email", e);
                }
            });
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("totalSize", out.size());
        body.put("done", true);
        body.set("records", out);
        ex.getResponseHeaders().add("Sforce-Limit-Info", "api-usage=" + (queries.size() + updates.size()) + "/15000");
        send(ex, 200, body.toString());
    }

    private void collections(HttpExchange ex) throws IOException {
        byte[] in = ex.getRequestBody().readAllBytes();
        if (!"PATCH".equals(ex.getRequestMethod())) {
            send(ex, 405, "[]");
            return;
        }
        if (!authorized(ex)) {
            return;
        }
        JsonNode request = Json.MAPPER.readTree(in);
        List<JsonNode> sent = new ArrayList<>();
        request.path("records").forEach(sent::add);
        updates.add(new Update(request.path("allOrNone").asBoolean(), sent));
        ArrayNode results = Json.MAPPER.createArrayNode();
        for (JsonNode record : sent) {
            String id = record.has("Id") ? record.get("Id").asText() : record.path("id").asText();
            ObjectNode r = results.addObject();
            r.put("id", id);
            String[] error = recordErrors.get(id);
            if (error == null) {
                Map<String, JsonNode> fields = state.computeIfAbsent(id, k -> new LinkedHashMap<>());
                for (Iterator<Map.Entry<String, JsonNode>> it = record.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> f = it.next();
                    if (!f.getKey().equals("attributes") && !f.getKey().equalsIgnoreCase("Id")) {
                        fields.put(f.getKey(), f.getValue());
                    }
                }
                r.put("success", true);
                r.putArray("errors");
            } else {
                r.put("success", false);
                ObjectNode e = r.putArray("errors").addObject();
                e.put("statusCode", error[0]);
                e.put("message", error[1]);
                e.putArray("fields");
            }
        }
        ex.getResponseHeaders().add("Sforce-Limit-Info", "api-usage=" + (queries.size() + updates.size()) + "/15000");
        send(ex, 200, results.toString());
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json;charset=UTF-8");
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
