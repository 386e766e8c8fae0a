package com.emaileventhub.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.Consumer;
import org.apache.camel.component.properties.PropertiesComponent;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;

/**
 * The hub's configuration, resolved once at start-up, and the one source of Camel's placeholders too
 * (governPlaceholders). Precedence, lowest first: the application.properties in the jar,
 * ./application.properties, environment variables (HUB_HTTP_PORT for hub.http.port), JVM system
 * properties, then explicit overrides (tests).
 *
 * <p>The layering is done here rather than by Camel's properties component because the hub needs its
 * configuration before a CamelContext exists: the database is opened and migrated, the HTTP edge's TLS
 * files and the vendor keys are checked, and the beans are built and bound into camel-main before it
 * creates its context (ConfigLayeringTest shows both views agree on every layer).
 */
public final class HubConfig {
    private final Map<String, String> values;

    private HubConfig(Map<String, String> values) {
        this.values = values;
    }

    public static HubConfig load(Map<String, String> overrides) {
        Map<String, String> v = new TreeMap<>();
        try (InputStream in = HubConfig.class.getResourceAsStream("/application.properties")) {
            if (in != null) {
                putAll(v, in);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the built-in application.properties", e);
        }
        Path local = Path.of("application.properties");
        if (Files.isRegularFile(local)) {
            try (InputStream in = Files.newInputStream(local)) {
                putAll(v, in);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + local.toAbsolutePath(), e);
            }
        }
        for (String key : v.keySet().toArray(String[]::new)) {
            String env = System.getenv(envName(key));
            if (env != null) {
                v.put(key, env);
            }
        }
        System.getProperties().forEach((k, val) -> {
            String key = k.toString();
            if (key.startsWith("hub.") || key.startsWith("camel.")) {
                v.put(key, val.toString());
            }
        });
        v.putAll(overrides);
        HubConfig config = new HubConfig(v);
        config.validate();
        return config;
    }

    /** hub.esp.mailgun.signing-key → HUB_ESP_MAILGUN_SIGNING_KEY */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static void putAll(Map<String, String> into, InputStream in) throws IOException {
        Properties p = new Properties();
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        p.forEach((k, val) -> into.put(k.toString().trim(), val.toString().trim()));
    }

    /**
     * Makes Camel read these values, so that {{key}} in a route or a camel.* key and get(key) never disagree:
     * they become the override properties of Camel's properties component, and its own environment and
     * system-property lookups, which by default come before any properties (environment first), only answer
     * keys these values lack, the same environment fallback get() makes.
     *
     * @param forCamel the keys Camel is given; a component's keys left out keep camel-main from creating and
     *                 starting that component for a part of the hub that is switched off
     */
    public void governPlaceholders(BaseMainSupport main, Predicate<String> forCamel) {
        Properties camel = new Properties();
        values.forEach((key, value) -> {
            if (forCamel.test(key)) {
                camel.setProperty(key, value);
            }
        });
        main.setOverrideProperties(camel);
        // camel-main would read application.properties from the classpath again by itself, past the filter above
        main.setDefaultPropertyPlaceholderLocation("false");
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport m) {
                PropertiesComponent properties = (PropertiesComponent) m.getCamelContext().getPropertiesComponent();
                properties.setEnvironmentVariableMode(PropertiesComponent.ENVIRONMENT_VARIABLES_MODE_FALLBACK);
                properties.setSystemPropertiesMode(PropertiesComponent.SYSTEM_PROPERTIES_MODE_FALLBACK);
            }
        });
    }

    /** The value, or null when unset or blank. */
    public String get(String key) {
        String value = values.get(key);
        if (value == null) {
            // keys not listed in any properties file (an integrator's own vendor) may still come from the environment
            value = System.getenv(envName(key));
        }
        return value == null || value.isBlank() ? null : value.trim();
    }

    public String get(String key, String defaultValue) {
        String value = get(key);
        return value == null ? defaultValue : value;
    }

    /**
     * A key whose default lives in application.properties (the one in the jar is always read), so the
     * Java side repeats no default; a key missing there is a packaging mistake and stops start-up.
     */
    public String require(String key) {
        String value = get(key);
        if (value == null) {
            throw new IllegalStateException("configuration key " + key + " has no value: application.properties must define it");
        }
        return value;
    }

    public int integer(String key) {
        require(key);
        return integer(key, 0);
    }

    public long longValue(String key) {
        require(key);
        return longValue(key, 0);
    }

    public Duration duration(String key) {
        return parseDuration(key, require(key));
    }

    public boolean bool(String key) {
        return parseBool(key, require(key));
    }

    public int integer(String key, int defaultValue) {
        String value = get(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw invalid(key, "not an integer");
        }
    }

    public long longValue(String key, long defaultValue) {
        String value = get(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw invalid(key, "not an integer");
        }
    }

    public Duration duration(String key, Duration defaultValue) {
        String value = get(key);
        return value == null ? defaultValue : parseDuration(key, value);
    }

    public boolean bool(String key, boolean defaultValue) {
        String value = get(key);
        return value == null ? defaultValue : parseBool(key, value);
    }

    /**
     * The one rule for durations, whoever reads them (hub keys, vendor keys, YAML declarations): ISO-8601
     * (PT5M, PT1H) or a period of days and weeks (P2D, P1W); never negative.
     */
    public static Duration parseDuration(String key, String value) {
        Duration d;
        try {
            d = Duration.parse(value.trim());
        } catch (DateTimeParseException e) {
            try {
                Period p = Period.parse(value.trim());
                if (p.getYears() != 0 || p.getMonths() != 0) {
                    throw invalid(key, "not an ISO-8601 duration such as PT5M or P2D (months and years have no fixed length)");
                }
                d = Duration.ofDays(p.getDays());
            } catch (DateTimeParseException notAPeriod) {
                throw invalid(key, "not an ISO-8601 duration such as PT5M or P2D");
            }
        }
        if (d.isNegative()) {
            throw invalid(key, "must not be negative");
        }
        return d;
    }

    /** The one rule for booleans: true or false, in any case; anything else names the key. */
    public static boolean parseBool(String key, String value) {
        String v = value.trim();
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            throw invalid(key, "must be true or false");
        }
        return Boolean.parseBoolean(v);
    }

    public URI url(String key) {
        String value = get(key);
        if (value == null) {
            return null;
        }
        try {
            URI uri = new URI(value);
            if (uri.getScheme() == null || uri.getHost() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw invalid(key, "not an http(s) URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw invalid(key, "not a valid URL");
        }
    }

    public Map<String, String> asMap() {
        return values;
    }

    public static IllegalArgumentException invalid(String key, String why) {
        // the value itself is not repeated: it may be a secret
        return new IllegalArgumentException("invalid configuration " + key + ": " + why);
    }

    /** Checks every key whose type the hub knows, so a bad value stops start-up naming its key. */
    private void validate() {
        Consumer<String> port = k -> {
            int p = integer(k, 0);
            if (p < 0 || p > 65535) {
                throw invalid(k, "not a port number");
            }
        };
        port.accept("hub.http.port");
        positive("hub.http.max-body-bytes");
        positive("hub.db.pool-size");
        positive("hub.analytics.batch-size");
        positive("hub.delivery.max-attempts");
        positive("hub.suppression.soft-bounce-threshold");
        String db = get("hub.db.url");
        if (db == null || !(db.startsWith("jdbc:h2:") || db.startsWith("jdbc:postgresql:"))) {
            throw invalid("hub.db.url", "must be a jdbc:h2: or jdbc:postgresql: URL");
        }
        for (String key : values.keySet()) {
            if (key.endsWith(".tolerance") || key.endsWith("-window") || key.endsWith(".retention")
                    || key.endsWith(".backoff") || key.endsWith("-backoff") || key.endsWith("-timeout")) {
                duration(key, null);
            }
            if (key.endsWith(".enabled") || key.endsWith(".auto-confirm")) {
                bool(key, true);
            }
            if (key.endsWith("-url") && !key.equals("hub.db.url") || key.equals("hub.analytics.url")) {
                url(key);
            }
        }
        String certDir = get("hub.esp.ses.certificate-dir");
        if (certDir != null && !Files.isDirectory(Path.of(certDir))) {
            throw invalid("hub.esp.ses.certificate-dir", "not a directory");
        }
    }

    private void positive(String key) {
        if (longValue(key, 1) <= 0) {
            throw invalid(key, "must be a positive integer");
        }
    }
}
