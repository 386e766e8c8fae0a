package com.emaileventhub.webhook;

import com.emaileventhub.config.HubConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The {@code hub.esp.<vendor>.*} keys of one vendor, read through a lookup (Camel's properties
 * component at run time, a map in unit tests). Values are resolved on every call; callers that
 * parse keys cache by the raw value.
 */
public final class VendorSettings {
    private final String vendor;
    private final Function<String, String> lookup;

    public VendorSettings(String vendor, Function<String, String> lookup) {
        this.vendor = vendor;
        this.lookup = lookup;
    }

    public String vendor() {
        return vendor;
    }

    public String key(String name) {
        return "hub.esp." + vendor + "." + name;
    }

    /** The trimmed value, or null when unset or blank. */
    public String get(String name) {
        String value = lookup.apply(key(name));
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** A secret that may hold several comma-separated values (key rotation); empty when unset. */
    public List<String> secrets(String name) {
        String value = get(name);
        if (value == null) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public Duration duration(String name, Duration defaultValue) {
        String value = get(name);
        return value == null ? defaultValue : HubConfig.parseDuration(key(name), value);
    }

    public boolean bool(String name, boolean defaultValue) {
        String value = get(name);
        return value == null ? defaultValue : HubConfig.parseBool(key(name), value);
    }

    public boolean enabled() {
        return bool("enabled", true);
    }
}
