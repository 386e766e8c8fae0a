package com.emaileventhub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HubConfig.get("hub.x") and {{hub.x}} in a route agree whichever layer sets the key: the jar's
 * application.properties, ./application.properties, an environment variable (HUB_X) or a system property.
 * Environment variables can only be set for a new process, so the hub runs in a child JVM (ConfigViews).
 */
class ConfigLayeringTest {
    @TempDir
    Path dir;

    @Test
    void hub_config_and_camel_placeholders_agree_on_every_layer() throws Exception {
        Files.writeString(dir.resolve("application.properties"), String.join("\n",
                "hub.delivery.poll-interval = PT3S",
                "hub.delivery.lease = PT5M",
                "hub.delivery.stalled-after = PT20M",
                "hub.esp.acme.signing-key = from-file"), StandardCharsets.UTF_8);
        Map<String, String> env = Map.of(
                "HUB_DELIVERY_LEASE", "PT6M",
                "HUB_DELIVERY_STALLED_AFTER", "PT21M",
                "HUB_ESP_ACME_SECRET", "from-env",
                "HUB_ESP_ACME_TOKEN", "from-env");
        List<String> system = List.of("-Dhub.delivery.stalled-after=PT22M", "-Dhub.esp.acme.token=from-sys");

        Map<String, String[]> views = run(env, system, "hub.delivery.batch-size", "hub.delivery.poll-interval",
                "hub.delivery.lease", "hub.delivery.stalled-after", "hub.esp.acme.signing-key",
                "hub.esp.acme.secret", "hub.esp.acme.token");

        assertThat(views.get("hub.delivery.batch-size")).as("the jar's default").containsExactly("500", "500");
        assertThat(views.get("hub.delivery.poll-interval")).as("./ over the jar").containsExactly("PT3S", "PT3S");
        assertThat(views.get("hub.delivery.lease")).as("environment over ./").containsExactly("PT6M", "PT6M");
        assertThat(views.get("hub.delivery.stalled-after")).as("system property over environment")
                .containsExactly("PT22M", "PT22M");
        assertThat(views.get("hub.esp.acme.signing-key")).as("a key only ./ has").containsExactly("from-file", "from-file");
        assertThat(views.get("hub.esp.acme.secret")).as("a key only the environment has")
                .containsExactly("from-env", "from-env");
        assertThat(views.get("hub.esp.acme.token")).as("system property over environment, in no file")
                .containsExactly("from-sys", "from-sys");
    }

    @Test
    void camel_main_has_no_context_to_read_properties_from_while_the_hub_is_wired() {
        // Hub opens the database and binds its beans into a Main like this one, before main.start() creates the context
        assertThat(new Main().getCamelContext()).isNull();
    }

    /** key → {HubConfig's value, Camel's}, as printed by ConfigViews in the child JVM. */
    private Map<String, String[]> run(Map<String, String> env, List<String> system, String... keys)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        cmd.addAll(system);
        cmd.add(ConfigViews.class.getName());
        cmd.addAll(List.of(keys));
        Path log = dir.resolve("child.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(name -> name.startsWith("HUB_"));
        pb.environment().putAll(env);
        pb.environment().put("HUB_HTTP_PORT", Integer.toString(AvailablePortFinder.getNextAvailable()));
        pb.environment().put("HUB_DB_URL", "jdbc:h2:mem:config-views");
        Process process = pb.start();
        boolean ended = process.waitFor(90, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        String output = Files.readString(log);
        assertThat(ended && process.exitValue() == 0).as("child hub ran and exited 0:\n" + output).isTrue();
        Map<String, String[]> views = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            if (line.startsWith(ConfigViews.PREFIX)) {
                String[] kv = line.substring(ConfigViews.PREFIX.length()).split("=", 2);
                views.put(kv[0], kv[1].split("\\|", -1));
            }
        }
        assertThat(views).as(output).containsOnlyKeys(keys);
        return views;
    }
}
