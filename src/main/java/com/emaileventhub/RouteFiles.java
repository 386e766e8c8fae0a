package com.emaileventhub;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The YAML route files the hub loads: the built-in ones (routes/ inside the jar) overlaid file by
 * file with a local folder, as application.properties is overlaid key by key. A local file replaces
 * the built-in file of the same relative path, a local file of a new name is added, and a built-in
 * file the local folder does not mention stays. A local file that is empty (or holds only comments)
 * switches its built-in namesake off.
 */
public final class RouteFiles {
    private static final String SUFFIX = ".camel.yaml";
    private static final String BUILT_IN = "routes/";
    private static final String DESTINATIONS = "destinations/";

    /** Relative path (webhooks/postmark.camel.yaml) to where it is loaded from, in a stable order. */
    private final Map<String, String> files;
    private final List<String> overridden;
    private final List<String> added;
    private final List<String> switchedOff;
    /** Destinations whose route file is left out because hub.NAME.enabled=false. */
    private final List<String> disabled = new ArrayList<>();

    private RouteFiles(Map<String, String> files, List<String> overridden, List<String> added, List<String> switchedOff) {
        this.files = files;
        this.overridden = overridden;
        this.added = added;
        this.switchedOff = switchedOff;
    }

    public static RouteFiles resolve(Path localDir) {
        Map<String, String> files = new TreeMap<>();
        for (String name : builtIn()) {
            files.put(name, "classpath:" + BUILT_IN + name);
        }
        List<String> overridden = new ArrayList<>();
        List<String> added = new ArrayList<>();
        List<String> switchedOff = new ArrayList<>();
        if (Files.isDirectory(localDir)) {
            for (Path file : local(localDir)) {
                String name = localDir.relativize(file).toString().replace('\\', '/');
                boolean known = files.containsKey(name);
                if (isBlank(file)) {
                    if (files.remove(name) != null) {
                        switchedOff.add(name);
                    }
                    continue;
                }
                files.put(name, "file:" + file.toAbsolutePath().toString().replace('\\', '/'));
                (known ? overridden : added).add(name);
            }
        }
        return new RouteFiles(files, overridden, added, switchedOff);
    }

    /**
     * Leaves out the route file of every destination switched off by configuration (destinations/NAME.camel.yaml
     * with hub.NAME.enabled=false): its endpoints are never created, so a component only that destination uses
     * (Salesforce for the CRM) is neither loaded nor started.
     */
    public RouteFiles withoutDisabledDestinations(Predicate<String> enabled) {
        Map<String, String> kept = new TreeMap<>(files);
        List<String> off = new ArrayList<>();
        for (String name : files.keySet()) {
            if (name.startsWith(DESTINATIONS) && name.endsWith(SUFFIX) && name.indexOf('/', DESTINATIONS.length()) < 0) {
                String destination = name.substring(DESTINATIONS.length(), name.length() - SUFFIX.length());
                if (!enabled.test(destination)) {
                    kept.remove(name);
                    off.add(destination);
                }
            }
        }
        RouteFiles without = new RouteFiles(kept, overridden, added, switchedOff);
        without.disabled.addAll(off);
        return without;
    }

    /** The value of camel.main.routes-include-pattern: every file by its exact location. */
    public String includePattern() {
        return String.join(",", files.values());
    }

    /** One line for the start-up log: which files come from where. */
    public String summary(Path localDir) {
        long builtIn = files.values().stream().filter(v -> v.startsWith("classpath:")).count();
        StringBuilder sb = new StringBuilder();
        sb.append("routes: ").append(builtIn).append(" built-in file(s)");
        if (!overridden.isEmpty() || !added.isEmpty() || !switchedOff.isEmpty()) {
            sb.append("; from ").append(localDir.toAbsolutePath().normalize()).append(':');
            if (!overridden.isEmpty()) {
                sb.append(" replacing ").append(overridden);
            }
            if (!added.isEmpty()) {
                sb.append(" adding ").append(added);
            }
            if (!switchedOff.isEmpty()) {
                sb.append(" switching off ").append(switchedOff);
            }
        }
        if (!disabled.isEmpty()) {
            sb.append("; destinations switched off by configuration, their routes not loaded: ").append(disabled);
        }
        return sb.toString();
    }

    /** The file that declares a route id (templated routes keep no resource of their own in Camel's model). */
    public String locate(String routeId) {
        Pattern declared = Pattern.compile("(?m)^\\s*-?\\s*(route)?[iI]d:\\s*[\"']?" + Pattern.quote(routeId) + "[\"']?\\s*$");
        for (String location : files.values()) {
            if (declared.matcher(read(location)).find()) {
                return location;
            }
        }
        return null;
    }

    /** The text of a route file by its location (file: or classpath:); empty when it cannot be read. */
    static String read(String location) {
        try {
            if (location.startsWith("file:")) {
                return Files.readString(Path.of(location.substring("file:".length())));
            }
            try (InputStream in = RouteFiles.class.getClassLoader().getResourceAsStream(location.substring("classpath:".length()))) {
                return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            return "";
        }
    }

    public Map<String, String> files() {
        return files;
    }

    private static List<Path> local(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the routes folder " + dir.toAbsolutePath(), e);
        }
    }

    private static boolean isBlank(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.map(String::strip).allMatch(l -> l.isEmpty() || l.startsWith("#"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.toAbsolutePath(), e);
        }
    }

    /** The route files inside the jar (or target/classes when run from the build). */
    static List<String> builtIn() {
        List<String> names = new ArrayList<>();
        try {
            Enumeration<URL> roots = RouteFiles.class.getClassLoader().getResources(BUILT_IN);
            while (roots.hasMoreElements()) {
                URL root = roots.nextElement();
                if ("jar".equals(root.getProtocol())) {
                    JarURLConnection connection = (JarURLConnection) root.openConnection();
                    connection.setUseCaches(false);
                    try (JarFile jar = connection.getJarFile()) {
                        Enumeration<JarEntry> entries = jar.entries();
                        while (entries.hasMoreElements()) {
                            String entry = entries.nextElement().getName();
                            if (entry.startsWith(BUILT_IN) && entry.endsWith(SUFFIX)) {
                                names.add(entry.substring(BUILT_IN.length()));
                            }
                        }
                    }
                } else if ("file".equals(root.getProtocol())) {
                    Path dir = Path.of(root.toURI());
                    for (Path file : local(dir)) {
                        names.add(dir.relativize(file).toString().replace('\\', '/'));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the built-in routes", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot list the built-in routes", e);
        }
        return names;
    }
}
