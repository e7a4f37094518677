package dev.berth.registry.http;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counters the registry exposes at /metrics in the Prometheus text format. */
final class Metrics {
    private static final double[] UPLOAD_BUCKETS = {0.1, 0.5, 1, 5, 10, 30, 60, 300, 1800};

    private final ConcurrentHashMap<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder[] uploadBuckets = new LongAdder[UPLOAD_BUCKETS.length + 1];
    private final LongAdder uploadCount = new LongAdder();
    private final LongAdder uploadMillis = new LongAdder();

    Metrics() {
        for (int i = 0; i < uploadBuckets.length; i++) {
            uploadBuckets[i] = new LongAdder();
        }
    }

    void request(Route.Kind route, String method, int status, long in, long out) {
        requests.computeIfAbsent(route.label + '\u0000' + method + '\u0000' + status, k -> new LongAdder()).increment();
        bytesIn.add(in);
        bytesOut.add(out);
    }

    /** A finished upload session, from its POST to the PUT that closed it. */
    void upload(long millis) {
        uploadCount.increment();
        uploadMillis.add(millis);
        double seconds = millis / 1000.0;
        int bucket = 0;
        while (bucket < UPLOAD_BUCKETS.length && seconds > UPLOAD_BUCKETS[bucket]) {
            bucket++;
        }
        uploadBuckets[bucket].increment();
    }

    String render() {
        StringBuilder out = new StringBuilder(4096);
        out.append("# HELP berth_registry_requests_total HTTP requests by route, method and status.\n");
        out.append("# TYPE berth_registry_requests_total counter\n");
        Map<String, LongAdder> sorted = new TreeMap<>(requests);
        for (Map.Entry<String, LongAdder> entry : sorted.entrySet()) {
            String[] parts = entry.getKey().split("\u0000");
            out.append("berth_registry_requests_total{route=\"").append(parts[0]).append("\",method=\"").append(parts[1])
                    .append("\",status=\"").append(parts[2]).append("\"} ").append(entry.getValue().sum()).append('\n');
        }
        out.append("# HELP berth_registry_received_bytes_total Request body bytes received.\n");
        out.append("# TYPE berth_registry_received_bytes_total counter\n");
        out.append("berth_registry_received_bytes_total ").append(bytesIn.sum()).append('\n');
        out.append("# HELP berth_registry_sent_bytes_total Response body bytes sent.\n");
        out.append("# TYPE berth_registry_sent_bytes_total counter\n");
        out.append("berth_registry_sent_bytes_total ").append(bytesOut.sum()).append('\n');
        out.append("# HELP berth_registry_upload_duration_seconds Time from starting an upload to its verified completion.\n");
        out.append("# TYPE berth_registry_upload_duration_seconds histogram\n");
        long cumulative = 0;
        for (int i = 0; i < UPLOAD_BUCKETS.length; i++) {
            cumulative += uploadBuckets[i].sum();
            out.append("berth_registry_upload_duration_seconds_bucket{le=\"").append(UPLOAD_BUCKETS[i]).append("\"} ")
                    .append(cumulative).append('\n');
        }
        cumulative += uploadBuckets[UPLOAD_BUCKETS.length].sum();
        out.append("berth_registry_upload_duration_seconds_bucket{le=\"+Inf\"} ").append(cumulative).append('\n');
        out.append("berth_registry_upload_duration_seconds_sum ").append(uploadMillis.sum() / 1000.0).append('\n');
        out.append("berth_registry_upload_duration_seconds_count ").append(uploadCount.sum()).append('\n');
        return out.toString();
    }
}
