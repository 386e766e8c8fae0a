import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load generator of the hub's benchmark (single-file program: java bench/LoadGen.java ...).
 *
 *   java bench/LoadGen.java keygen DIR                       writes DIR/sendgrid.key, prints the public key
 *   java bench/LoadGen.java run --url http://127.0.0.1:8080 --mode ping|sendgrid|postmark
 *        [--concurrency 32] [--seconds 15] [--warmup 5] [--batch 100] [--rate REQ_PER_S] [--key DIR/sendgrid.key]
 *
 * Closed loop by default (each worker sends its next request when the last is answered). With --rate,
 * open loop: requests are scheduled at a fixed rate and latency counts from the scheduled time, so a
 * stall is not hidden (no coordinated omission). Every event is new (unique message ids), so the hub
 * does real inserts. Prints one line of JSON.
 */
public final class LoadGen {
    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("keygen")) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair kp = g.generateKeyPair();
            Files.createDirectories(Path.of(args[1]));
            Files.writeString(Path.of(args[1], "sendgrid.key"), Base64.getEncoder().encodeToString(kp.getPrivate().getEncoded()));
            System.out.println(Base64.getEncoder().encodeToString(kp.getPublic().getEncoded()));
            return;
        }
        Map<String, String> o = options(args);
        String url = o.getOrDefault("url", "http://127.0.0.1:8080");
        String mode = o.getOrDefault("mode", "ping");
        int concurrency = Integer.parseInt(o.getOrDefault("concurrency", "32"));
        int seconds = Integer.parseInt(o.getOrDefault("seconds", "15"));
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "5"));
        int batch = Integer.parseInt(o.getOrDefault("batch", "100"));
        double rate = Double.parseDouble(o.getOrDefault("rate", "0"));
        // --slow-ms N: the times of the measured requests slower than N ms go to stderr, grouped into stalls
        long slowNs = Long.parseLong(o.getOrDefault("slow-ms", "0")) * 1_000_000L;
        List<long[]> slow = java.util.Collections.synchronizedList(new ArrayList<>());
        PrivateKey key = mode.equals("sendgrid") ? KeyFactory.getInstance("EC").generatePrivate(
                new PKCS8EncodedKeySpec(Base64.getDecoder().decode(Files.readString(Path.of(o.get("key"))).trim()))) : null;

        URI base = URI.create(url);
        String runId = Long.toString(System.nanoTime(), 36);
        long startNs = System.nanoTime();
        long measureFrom = startNs + warmup * 1_000_000_000L;
        long endNs = measureFrom + seconds * 1_000_000_000L;
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        // why the failed ones failed: the status, or the exception's class (no answer in time, connection lost)
        java.util.concurrent.ConcurrentHashMap<String, AtomicLong> failures = new java.util.concurrent.ConcurrentHashMap<>();
        AtomicLong events = new AtomicLong();
        List<long[]> perWorker = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            long[] lat = new long[300_000];
            perWorker.add(lat);
            int worker = w;
            Thread t = new Thread(() -> {
                RawHttp http = new RawHttp(base.getHost(), base.getPort());
                int n = 0;
                int seq = 0;
                double interval = rate > 0 ? 1e9 * concurrency / rate : 0;
                long next = startNs + (long) (interval * worker / concurrency);
                while (true) {
                    long scheduled;
                    if (rate > 0) {
                        scheduled = next;
                        next += (long) interval;
                        long wait = scheduled - System.nanoTime();
                        if (wait > 0) {
                            java.util.concurrent.locks.LockSupport.parkNanos(wait);
                        }
                    } else {
                        scheduled = System.nanoTime();
                    }
                    if (scheduled >= endNs) {
                        break;
                    }
                    Req req = request(mode, key, runId + "-" + worker + "-" + seq++, batch);
                    try {
                        int status = http.send(req.path, req.headers, req.body);
                        long done = System.nanoTime();
                        if (scheduled >= measureFrom) {
                            if (status == 200) {
                                ok.incrementAndGet();
                                events.addAndGet(mode.equals("sendgrid") ? batch : mode.equals("postmark") ? 1 : 0);
                                if (n < lat.length - 1) {
                                    lat[n++] = done - scheduled;
                                }
                                if (slowNs > 0 && done - scheduled >= slowNs) {
                                    slow.add(new long[] {scheduled, done - scheduled});
                                }
                            } else {
                                failed.incrementAndGet();
                                failures.computeIfAbsent(Integer.toString(status), k -> new AtomicLong()).incrementAndGet();
                            }
                        }
                    } catch (Exception e) {
                        http.close();
                        if (scheduled >= measureFrom) {
                            failed.incrementAndGet();
                            failures.computeIfAbsent(e.getClass().getSimpleName(), k -> new AtomicLong()).incrementAndGet();
                        }
                    }
                }
                http.close();
                lat[lat.length - 1] = n;   // count of samples, read back below
            });
            workers.add(t);
            t.start();
        }
        for (Thread t : workers) {
            t.join();
        }
        int total = 0;
        for (long[] l : perWorker) {
            total += (int) l[l.length - 1];
        }
        long[] all = new long[total];
        int p = 0;
        for (long[] l : perWorker) {
            int n = (int) l[l.length - 1];
            System.arraycopy(l, 0, all, p, n);
            p += n;
        }
        Arrays.sort(all);
        if (slowNs > 0) {
            printStalls(slow, startNs);
        }
        double secs = seconds;
        System.out.printf("{\"mode\":\"%s\",\"concurrency\":%d,\"rate\":%s,\"seconds\":%d,\"ok\":%d,\"failed\":%d,"
                        + "\"requests_per_s\":%.0f,\"events_per_s\":%.0f,\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f,"
                        + "\"failures\":{%s}}%n",
                mode, concurrency, rate > 0 ? String.format("%.0f", rate) : "null", seconds, ok.get(), failed.get(),
                ok.get() / secs, events.get() / secs, pct(all, 0.50), pct(all, 0.99), all.length == 0 ? 0 : all[all.length - 1] / 1e6,
                failures.entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                        .map(f -> "\"" + f.getKey() + "\":" + f.getValue().get())
                        .collect(java.util.stream.Collectors.joining(",")));
    }

    /**
     * Slow requests whose scheduled times lie within 100 ms of each other form one stall: its wall-clock start (the
     * hub's log times), how many requests it held up and the longest of them, one line each on stderr.
     */
    private static void printStalls(List<long[]> slow, long startNs) {
        long epochMsAtStart = System.currentTimeMillis() - (System.nanoTime() - startNs) / 1_000_000L;
        List<long[]> sorted = new ArrayList<>(slow);
        sorted.sort(java.util.Comparator.comparingLong(r -> r[0]));
        java.time.format.DateTimeFormatter clock = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
                .withZone(java.time.ZoneId.systemDefault());
        int i = 0;
        while (i < sorted.size()) {
            long first = sorted.get(i)[0];
            long last = first;
            long longest = 0;
            int count = 0;
            while (i < sorted.size() && sorted.get(i)[0] - last <= 100_000_000L) {
                last = sorted.get(i)[0];
                longest = Math.max(longest, sorted.get(i)[1]);
                count++;
                i++;
            }
            System.err.printf("stall from %s: %d requests, %d ms scheduled apart, longest %.0f ms%n",
                    clock.format(java.time.Instant.ofEpochMilli(epochMsAtStart + (first - startNs) / 1_000_000L)), count,
                    (last - first) / 1_000_000L, longest / 1e6);
        }
    }

    private static double pct(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    /** One request: path, extra header lines, body. */
    record Req(String path, String headers, byte[] body) {
    }

    private static Req request(String mode, PrivateKey key, String unique, int batch) {
        try {
            switch (mode) {
                case "ping":
                    return new Req("/bench/ping", "Content-Type: application/json\r\n",
                            "{\"ping\":true}".getBytes(StandardCharsets.UTF_8));
                case "postmark": {
                    String body = "{\"RecordType\":\"Delivery\",\"ServerID\":23,\"MessageStream\":\"outbound\",\"MessageID\":\""
                            + unique + "\",\"Recipient\":\"bench@example.com\",\"Tag\":\"bench\",\"DeliveredAt\":\"" + java.time.Instant.now() + "\","
                            + "\"Details\":\"Test delivery webhook details\",\"Metadata\":{\"a_key\":\"a_value\"}}";
                    return new Req("/webhooks/postmark", "Content-Type: application/json\r\nAuthorization: Basic "
                            + Base64.getEncoder().encodeToString("bench:bench".getBytes(StandardCharsets.UTF_8)) + "\r\n",
                            body.getBytes(StandardCharsets.UTF_8));
                }
                case "sendgrid": {
                    StringBuilder sb = new StringBuilder("[");
                    // events of the last second, as an ESP posts them: the figures keep them (events older than
                    // hub.insight.daily-retention would be counted, then deleted by the next maintenance run)
                    long now = System.currentTimeMillis() / 1000;
                    String[] types = {"delivered", "open", "click", "processed", "open"};
                    for (int i = 0; i < batch; i++) {
                        if (i > 0) {
                            sb.append(",\r\n");
                        }
                        String type = types[i % types.length];
                        sb.append("{\"email\":\"user").append(i % 50).append("@example.com\",\"timestamp\":").append(now).append(',')
                                .append("\"event\":\"").append(type).append("\",\"sg_event_id\":\"").append(unique).append('-').append(i)
                                .append("\",\"sg_message_id\":\"").append(unique).append('.').append(i).append(".filter0001\",")
                                .append("\"category\":[\"bench\"],\"useragent\":\"Mozilla/5.0\",\"ip\":\"203.0.113.7\"");
                        if (type.equals("click")) {
                            sb.append(",\"url\":\"https://example.com/pricing?utm=bench\"");
                        }
                        sb.append('}');
                    }
                    sb.append("]\r\n");
                    byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
                    String ts = Long.toString(System.currentTimeMillis() / 1000);
                    Signature s = Signature.getInstance("SHA256withECDSA");
                    s.initSign(key);
                    s.update(ts.getBytes(StandardCharsets.UTF_8));
                    s.update(body);
                    return new Req("/webhooks/sendgrid", "Content-Type: application/json;charset=utf-8\r\n"
                            + "X-Twilio-Email-Event-Webhook-Signature: " + Base64.getEncoder().encodeToString(s.sign()) + "\r\n"
                            + "X-Twilio-Email-Event-Webhook-Timestamp: " + ts + "\r\n", body);
                }
                default:
                    throw new IllegalArgumentException("unknown mode " + mode);
            }
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A minimal HTTP/1.1 keep-alive client on a plain socket: the JDK HttpClient costs more CPU than the
     * hub's trivial route on a shared 2-core machine, which would make the generator the bottleneck.
     */
    static final class RawHttp {
        private final String host;
        private final int port;
        private java.net.Socket socket;
        private java.io.BufferedInputStream in;
        private java.io.OutputStream out;

        RawHttp(String host, int port) {
            this.host = host;
            this.port = port;
        }

        int send(String path, String headers, byte[] body) throws java.io.IOException {
            if (socket == null) {
                socket = new java.net.Socket(host, port);
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(30_000);
                in = new java.io.BufferedInputStream(socket.getInputStream(), 65536);
                out = new java.io.BufferedOutputStream(socket.getOutputStream(), 65536);
            }
            String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n" + headers
                    + "Content-Length: " + body.length + "\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            String status = line();
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean close = false;
            for (String h = line(); !h.isEmpty(); h = line()) {
                String lower = h.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    close = true;
                }
            }
            if (chunked) {
                for (long size = Long.parseLong(line().split(";")[0].trim(), 16); size > 0;
                        size = Long.parseLong(line().split(";")[0].trim(), 16)) {
                    skip(size);
                    line();
                }
                line();
            } else if (length > 0) {
                skip(length);
            }
            if (close) {
                close();
            }
            return code;
        }

        private void skip(long n) throws java.io.IOException {
            while (n > 0) {
                long k = in.skip(n);
                if (k <= 0) {
                    if (in.read() < 0) {
                        throw new java.io.EOFException();
                    }
                    k = 1;
                }
                n -= k;
            }
        }

        private String line() throws java.io.IOException {
            StringBuilder sb = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new java.io.EOFException();
                }
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            return sb.toString();
        }

        void close() {
            try {
                if (socket != null) {
                    socket.close();
                }
            } catch (java.io.IOException ignored) {
                // closing anyway
            }
            socket = null;
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return o;
    }
}
