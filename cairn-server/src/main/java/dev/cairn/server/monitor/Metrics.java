package dev.cairn.server.monitor;

import dev.cairn.server.catalog.Catalog;
import dev.cairn.server.catalog.MonitorCatalog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The server's Prometheus metrics ({@code GET /metrics}). HTTP counters are counted as requests
 * finish; every gauge is computed from the catalog at scrape time, so metrics always agree with
 * it, and a label set that disappeared (a removed account or set) disappears from the output.
 * Thread-safe.
 */
public final class Metrics {
    /** The content type of {@link #scrape()}'s text. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final Pattern REPO_ROUTE = Pattern.compile("^/v1/repos/[^/]+/[^/]+/");
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "PUT", "POST", "DELETE");
    private static final String SERVER = "(server)";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Catalog catalog;
    private final MonitorCatalog monitorCatalog;
    private final Monitor monitor;
    private final Counter errors;
    /** Current gauge values by meter key; gauges read them at scrape time. */
    private final Map<String, Double> values = new ConcurrentHashMap<>();
    private final Map<String, Gauge> gauges = new HashMap<>();

    public Metrics(Catalog catalog, MonitorCatalog monitorCatalog, Monitor monitor) {
        this.catalog = catalog;
        this.monitorCatalog = monitorCatalog;
        this.monitor = monitor;
        this.errors = Counter.builder("cairn.http.request.errors")
                .description("Requests answered with a 5xx status or cut off after the response began")
                .register(registry);
    }

    /**
     * Counts a finished request. {@code route} is the handler's route template; the account and
     * repository names in storage routes are replaced by placeholders, and unusual methods are
     * counted as OTHER, so nobody can grow the label sets without limit by sending odd requests.
     */
    public void recordRequest(String method, String route, int status, boolean failed) {
        String m = METHODS.contains(method) ? method : "OTHER";
        String r = REPO_ROUTE.matcher(route).replaceFirst("/v1/repos/{account}/{repo}/");
        Counter.builder("cairn.http.requests").description("HTTP requests by method, route template and status")
                .tags("method", m, "route", r, "status", Integer.toString(status)).register(registry).increment();
        if (status >= 500 || failed) {
            errors.increment();
        }
    }

    /** The metrics in Prometheus text format, with gauges fresh from the catalog. */
    public synchronized String scrape() {
        Map<String, Double> fresh = new HashMap<>();
        Map<String, Runnable> registrations = new HashMap<>();
        for (Monitor.SetStatus s : monitor.status()) {
            MonitorCatalog.MonitoredSet set = s.set();
            Tags tags = Tags.of("account", set.account(), "client", set.client(), "set", set.set());
            if (set.lastSuccessMs() != null) {
                gauge(fresh, registrations, "cairn.client.last.success.timestamp.seconds",
                        "When the set's newest successful backup finished (Unix seconds)", tags,
                        set.lastSuccessMs() / 1000.0);
            }
            if (set.lastDurationMs() != null) {
                gauge(fresh, registrations, "cairn.backup.duration.seconds",
                        "How long the set's newest successful backup took", tags, set.lastDurationMs() / 1000.0);
            }
            for (SetState state : SetState.values()) {
                gauge(fresh, registrations, "cairn.client.state", "1 for the set's current state, else 0",
                        tags.and("state", state.label()), state == s.state() ? 1 : 0);
            }
        }
        Map<Long, Long> open = monitorCatalog.openIncidentCounts();
        for (Catalog.Account a : catalog.accounts()) {
            Tags tags = Tags.of("account", a.name());
            gauge(fresh, registrations, "cairn.account.stored.bytes",
                    "Bytes the account occupies: live files, trash and uploads", tags, catalog.usage(a.id()).total());
            if (a.quotaBytes() > 0) {
                gauge(fresh, registrations, "cairn.account.quota.bytes", "The account's quota", tags, a.quotaBytes());
            }
            gauge(fresh, registrations, "cairn.alerts.open", "Open incidents", tags, open.getOrDefault(a.id(), 0L));
        }
        gauge(fresh, registrations, "cairn.alerts.open", "Open incidents", Tags.of("account", SERVER),
                open.getOrDefault(0L, 0L));
        values.putAll(fresh);
        registrations.values().forEach(Runnable::run);
        for (String key : new HashSet<>(gauges.keySet())) {
            if (!fresh.containsKey(key)) {
                registry.remove(gauges.remove(key));
                values.remove(key);
            }
        }
        return registry.scrape();
    }

    private void gauge(Map<String, Double> fresh, Map<String, Runnable> registrations, String name,
                       String description, Tags tags, double value) {
        String key = name + tags;
        fresh.put(key, value);
        if (!gauges.containsKey(key)) {
            registrations.put(key, () -> gauges.put(key, Gauge.builder(name, values, v -> v.getOrDefault(key, Double.NaN))
                    .description(description).tags(tags).strongReference(true).register(registry)));
        }
    }
}
