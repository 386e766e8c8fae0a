package com.emaileventhub.bench;

import static org.awaitility.Awaitility.await;

import com.emaileventhub.Hub;
import com.emaileventhub.destination.DeliveryFixtures;
import com.emaileventhub.store.InsightStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How the H2 file grows while the insight destination applies N sends (History, through InsightStore.apply, as
 * StatsBench): every 10 s the file size, the share of it given to chunks (info.FILL_RATE), the live share of the
 * chunks (info.CHUNKS_FILL_RATE), their product (the live data), the bytes written so far and how many versions
 * back H2 must keep (a long transaction holds every chunk written since it began). The hub runs as an
 * operator runs it, route h2-housekeeping included; hub.* system properties override its settings.
 * Usage: H2FileBench [sends=300000] [url settings appended to ;WRITE_DELAY=0, e.g. ";RETENTION_TIME=1000"].
 */
public final class H2FileBench {

    public static void main(String[] args) throws Exception {
        int sends = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        String extra = args.length > 1 ? args[1] : "";
        Path dir = Path.of("target", "h2file-bench", UUID.randomUUID().toString()).toAbsolutePath();
        Path file = dir.resolve("hub.mv.db");
        String url = "jdbc:h2:file:" + dir.resolve("hub") + ";WRITE_DELAY=0" + extra;
        AtomicInteger applied = new AtomicInteger();
        long start = System.nanoTime();
        try (Hub hub = DeliveryFixtures.start(DeliveryFixtures.overrides(url, DeliveryFixtures.routes(),
                "hub.db.pool-size=4"))) {
            hub.delivery().engine().stop();
            ScheduledExecutorService monitor = Executors.newSingleThreadScheduledExecutor();
            monitor.scheduleAtFixedRate(() -> print(hub, file, applied.get(), start), 10, 10, TimeUnit.SECONDS);
            History.apply(hub.context().getRegistry().lookupByNameAndType("insightStore", InsightStore.class), sends,
                    Instant.now().truncatedTo(ChronoUnit.MINUTES), new Random(42), applied::set);
            double seconds = (System.nanoTime() - start) / 1e9;
            monitor.shutdownNow();
            monitor.awaitTermination(10, TimeUnit.SECONDS);
            print(hub, file, applied.get(), start);
            System.out.printf("BENCH h2file %s: %d sends applied in %.1f s (%.0f sends/s)%n", extra, sends, seconds,
                    sends / seconds);
            AtomicInteger samples = new AtomicInteger();   // what housekeeping makes of it once the writes stop
            await().pollDelay(Duration.ofSeconds(10)).pollInterval(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(75))
                    .until(() -> {
                        print(hub, file, applied.get(), start);
                        return samples.incrementAndGet() == 6;
                    });
        }
        System.out.printf("BENCH h2file closed: %.1f MB%n", Files.size(file) / 1e6);
    }

    private static void print(Hub hub, Path file, int sends, long start) {
        try (Connection c = hub.database().dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT SETTING_NAME, SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS "
                     + "WHERE SETTING_NAME LIKE 'info.%' OR SETTING_NAME = 'RETENTION_TIME'")) {
            Map<String, String> info = new HashMap<>();
            while (rs.next()) {
                info.put(rs.getString(1), rs.getString(2));
            }
            long size = Files.size(file);
            int fill = Integer.parseInt(info.get("info.FILL_RATE"));
            int chunksFill = Integer.parseInt(info.get("info.CHUNKS_FILL_RATE"));
            System.out.printf("h2file t=%4.0fs sends=%8d file=%7.1f MB fill=%3d%% chunks-fill=%3d%% live~%6.1f MB "
                            + "chunks=%5s written=%8.1f MB retention=%s versions held=%d%n",
                    (System.nanoTime() - start) / 1e9, sends,
                    size / 1e6, fill, chunksFill, size / 1e6 * fill * chunksFill / 10_000, info.get("info.CHUNK_COUNT"),
                    Long.parseLong(info.get("info.FILE_WRITE_BYTES")) / 1e6, info.get("RETENTION_TIME"),
                    Long.parseLong(info.get("info.CURRENT_VERSION")) - Long.parseLong(info.get("info.OLDEST_VERS_TO_KEEP")));
        } catch (Exception e) {
            System.out.println("h2file: " + e);
        }
    }
}
