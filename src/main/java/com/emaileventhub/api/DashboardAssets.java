package com.emaileventhub.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * GET /dashboard and its files, read from this jar: the page, its script and style sheet
 * (src/main/resources/dashboard/) and Chart.js from its WebJar (the version pom.xml pins, read from the
 * WebJar's own pom.properties). Only the files named here are served; anything else under /dashboard is 404.
 * The page holds no data: it asks for the token in the browser and reads /api/** with it, so these
 * answers need none. The Content-Security-Policy lets the page reach this hub only.
 * <p>
 * Caching: the page names each file with its content's digest ({@code dashboard/panels.js?v=1a2b...}); a request
 * carrying the current digest is answered as immutable, so a browser loads Chart.js and the scripts once per hub
 * version (and keeps their compiled code), while the page itself is always asked again ({@code no-cache}): after
 * an upgrade it names the new files at once.
 */
public final class DashboardAssets {
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final String PAGE = "/dashboard";
    private static final String CHART_JS = "META-INF/resources/webjars/chart.js/%s/dist/chart.umd.min.js";
    private static final String CHART_JS_VERSION = "META-INF/maven/org.webjars.npm/chart.js/pom.properties";

    /** File name under /dashboard/ ("" for the page itself) to its content type. */
    private static final Map<String, String> TYPES = Map.of(
            "", "text/html; charset=utf-8",
            "dashboard.js", "text/javascript; charset=utf-8",
            "panels.js", "text/javascript; charset=utf-8",
            "dashboard.css", "text/css; charset=utf-8",
            "chart.umd.min.js", "text/javascript; charset=utf-8");

    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    private static final String VERSION = "v=";

    /** Each file's bytes (the page with its references versioned) and digest, read once from the jar. */
    private final Map<String, byte[]> loaded = new HashMap<>();
    private final Map<String, String> digests = new HashMap<>();

    public DashboardAssets() {
        for (String file : files()) {
            byte[] bytes = read(file);
            loaded.put(file, bytes);
            digests.put(file, digest(bytes));
        }
        String page = new String(read(""), StandardCharsets.UTF_8);
        for (String f : files()) {
            page = page.replace("\"dashboard/" + f + "\"", "\"dashboard/" + f + "?" + VERSION + digests.get(f) + "\"");
        }
        loaded.put("", page.getBytes(StandardCharsets.UTF_8));
    }

    /** The names served under /dashboard/, in alphabetical order (the OpenAPI document lists them). */
    static List<String> files() {
        return TYPES.keySet().stream().filter(f -> !f.isEmpty()).sorted().toList();
    }

    /** The page (/dashboard) or one of its files (/dashboard/NAME), named by the request's path alone. */
    public void serve(Exchange exchange) {
        String file = fileName(exchange.getMessage().getHeader(Exchange.HTTP_URI, "", String.class));
        String type = TYPES.get(file);
        if (type == null) {
            throw new ApiError(404, "no such dashboard file: " + file);
        }
        byte[] body = loaded.get(file);
        String query = exchange.getMessage().getHeader(Exchange.HTTP_QUERY, "", String.class);
        boolean current = !file.isEmpty() && query.equals(VERSION + digests.get(file));
        Message m = exchange.getMessage();
        m.getHeaders().clear();
        m.setHeader("Cache-Control", current ? IMMUTABLE : "no-cache");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        m.setHeader(Exchange.CONTENT_TYPE, type);
        m.setHeader("Content-Security-Policy", CSP);
        m.setHeader("X-Content-Type-Options", "nosniff");
        m.setHeader("Referrer-Policy", "no-referrer");
        m.setBody(body);
    }

    /** "" for /dashboard, NAME for /dashboard/NAME; the query string (which Camel also turns into headers) plays no part. */
    static String fileName(String uri) {
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        return path.endsWith(PAGE) ? "" : path.substring(path.lastIndexOf('/') + 1);
    }

    /** The version a file is asked for with: the first 16 hex digits of its SHA-256. */
    String digest(String file) {
        return digests.get(file);
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] read(String file) {
        return bytes(switch (file) {
            case "" -> "dashboard/index.html";
            case "chart.umd.min.js" -> CHART_JS.formatted(chartJsVersion());
            default -> "dashboard/" + file;
        });
    }

    private static String chartJsVersion() {
        Properties p = new Properties();
        try (InputStream in = resource(CHART_JS_VERSION)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version");
    }

    private static byte[] bytes(String path) {
        try (InputStream in = resource(path)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String path) {
        InputStream in = DashboardAssets.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException("missing from the jar: " + path);
        }
        return in;
    }
}
