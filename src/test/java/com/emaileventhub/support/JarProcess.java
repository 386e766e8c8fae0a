package com.emaileventhub.support;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.test.AvailablePortFinder;
import org.awaitility.core.ConditionTimeoutException;

/** The packaged hub (target/email-event-hub.jar) run as a separate JVM, as an operator runs it. */
public final class JarProcess implements AutoCloseable {
    public static final Path JAR = Path.of("target", "email-event-hub.jar").toAbsolutePath();
    /** The Class Data Sharing archive the build trains for that jar; the README's start command uses it. */
    public static final Path ARCHIVE = Path.of("target", "email-event-hub.jsa").toAbsolutePath();

    private final Process process;
    private final int port;
    private final Path log;

    private JarProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the jar in workDir with the given environment (HUB_HTTP_PORT is chosen here) and system properties. */
    public static JarProcess start(Path workDir, Map<String, String> env, List<String> systemProperties) throws IOException {
        int port = AvailablePortFinder.getNextAvailable();
        Files.createDirectories(workDir);
        Path log = workDir.resolve("hub-" + port + ".log");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        // as the README starts it (a missing archive is skipped silently, like a mismatched one with a warning)
        cmd.add("-XX:SharedArchiveFile=" + ARCHIVE);
        cmd.addAll(systemProperties);
        cmd.add("-jar");
        cmd.add(JAR.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("HUB_HTTP_PORT", Integer.toString(port));
        pb.environment().putAll(env);
        return new JarProcess(pb.start(), port, log);
    }

    /**
     * Waits until /observe/health answers 200, at most 60 s ({@code -Djar.healthy-seconds} on a loaded machine); a hub
     * that does not get there is killed, so that a failed test leaves no JVM behind.
     */
    public JarProcess awaitHealthy() {
        try {
            await().atMost(Duration.ofSeconds(Integer.getInteger("jar.healthy-seconds", 60)))
                    .pollInterval(Duration.ofMillis(200)).until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("hub exited with " + process.exitValue() + ":\n" + log());
                        }
                        try {
                            return HubRunner.send(HttpRequest.newBuilder(uri("/observe/health"))
                                    .timeout(Duration.ofSeconds(2)).build()).statusCode() == 200;
                        } catch (RuntimeException e) {
                            return false;
                        }
                    });
        } catch (ConditionTimeoutException e) {
            process.destroyForcibly();
            throw e;
        }
        return this;
    }

    public int port() {
        return port;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** SIGKILL: no shutdown hook, no flush, like a power cut of the process. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Waits for the process to end by itself (a start-up failure) and returns its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("hub did not exit:\n" + log());
        }
        return process.exitValue();
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    public static Path workDir(String name) {
        return new File("target/jar-it/" + name + "-" + System.nanoTime()).toPath().toAbsolutePath();
    }
}
