package dev.cairn.server.http;

import dev.cairn.server.auth.AuthFailure;
import dev.cairn.server.auth.Authenticator;
import dev.cairn.server.auth.Principal;
import dev.cairn.server.catalog.Catalog;
import dev.cairn.server.catalog.Catalog.TrashEntry;
import dev.cairn.server.catalog.Catalog.Usage;
import dev.cairn.server.monitor.BadReportException;
import dev.cairn.server.monitor.Metrics;
import dev.cairn.server.monitor.Monitor;
import dev.cairn.server.store.Names;
import dev.cairn.server.store.RepoStore;
import dev.cairn.server.store.StoreException;
import dev.cairn.storage.FileInfo;
import dev.cairn.storage.FileKind;
import dev.cairn.storage.Handle;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Cairn server protocol of docs/design.md ("Server protocol") as a blocking Jetty handler:
 * the storage API under {@code /v1/repos/ACCOUNT/REPO}, the account API under
 * {@code /v1/account}, run reports at {@code POST /v1/reports}, {@code GET /metrics} and
 * {@code GET /health}.
 *
 * <p>Every request is checked in this order: the path's shape and names (400 {@code bad-name}
 * before any lookup), the credential (401, or 429 after repeated failures), then the account (a
 * path naming another account gets the same 404 as a missing file). Bodies stream both ways.
 * Every error carries {@code Cairn-Error: CODE} and a {@code text/plain} message. One log line is
 * written per request.
 */
public final class CairnHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger("dev.cairn.server.requests");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d{1,19})-(\\d{0,19})");
    private static final int BUFFER = 128 * 1024;

    private final Authenticator authenticator;
    private final RepoStore store;
    private final Catalog catalog;
    private final long maxBody;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Monitor monitor;
    private final Metrics metrics;

    public CairnHandler(Authenticator authenticator, RepoStore store, Catalog catalog, long maxBody) {
        this(authenticator, store, catalog, maxBody, null, null);
    }

    /** With monitoring: {@code monitor} takes reports, {@code metrics} counts requests and answers /metrics. */
    public CairnHandler(Authenticator authenticator, RepoStore store, Catalog catalog, long maxBody, Monitor monitor,
                        Metrics metrics) {
        this.authenticator = authenticator;
        this.store = store;
        this.catalog = catalog;
        this.maxBody = maxBody;
        this.monitor = monitor;
        this.metrics = metrics;
    }

    /** One request in progress: what the log line reports. */
    private static final class Exchange {
        final Request request;
        final Response response;
        String route = "?";
        String account = "-";

        Exchange(Request request, Response response) {
            this.request = request;
            this.response = response;
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long started = System.nanoTime();
        Exchange x = new Exchange(request, response);
        Throwable failure = null;
        try {
            dispatch(x);
        } catch (StoreException e) {
            failure = sendError(x, e.status(), e.code(), e.getMessage(), e.headers());
        } catch (AuthFailure e) {
            Map<String, String> headers = e.status() == 429
                    ? Map.of("Retry-After", Long.toString(e.retryAfter().toSeconds()))
                    : Map.of("WWW-Authenticate", "Bearer realm=\"cairn\"");
            failure = sendError(x, e.status(), e.status() == 429 ? "too-many-failures" : "unauthorized",
                    e.getMessage(), headers);
        } catch (IOException e) {
            // Mostly a client that went away mid-body; the store kept what a resume needs.
            failure = sendError(x, 400, "bad-request", "the request failed: " + e.getMessage(), Map.of());
        } catch (RuntimeException e) {
            LOG.error("internal error on {} {}", request.getMethod(), x.route, e);
            failure = sendError(x, 500, "internal", "internal server error; the server's log has the details",
                    Map.of());
        }
        if (failure == null) {
            callback.succeeded();
        } else {
            callback.failed(failure);
        }
        long bytes = Request.getContentBytesRead(request) + Response.getContentBytesWritten(response);
        LOG.info("{} {} account={} status={} bytes={} ms={}", request.getMethod(), x.route, x.account,
                response.getStatus(), bytes, (System.nanoTime() - started) / 1_000_000);
        if (metrics != null) {
            metrics.recordRequest(request.getMethod(), x.route, response.getStatus(), failure != null);
        }
        return true;
    }

    // ---------------------------------------------------------------- routing

    private void dispatch(Exchange x) throws StoreException, AuthFailure, IOException {
        String path = x.request.getHttpURI().getPath();
        String method = x.request.getMethod();
        if (path == null) {
            throw notFound();
        }
        if (path.equals("/health")) {
            x.route = "/health";
            health(x, method);
            return;
        }
        if (path.equals("/v1/reports") && monitor != null) {
            x.route = "/v1/reports";
            report(x, method);
            return;
        }
        if (path.equals("/metrics") && metrics != null) {
            x.route = "/metrics";
            metrics(x, method);
            return;
        }
        String[] s = path.split("/", -1);
        if (s.length >= 3 && s[0].isEmpty() && s[1].equals("v1") && s[2].equals("account")) {
            account(x, method, s);
            return;
        }
        if (s.length < 7 || !s[0].isEmpty() || !s[1].equals("v1") || !s[2].equals("repos")) {
            x.route = "(unknown)";
            throw notFound();
        }
        String account = Names.requireAccount(s[3]);
        String repo = s[4];
        if (!Names.isRepository(repo)) {
            throw StoreException.badName("'" + repo + "' is not a valid repository name: use 1 to 64 of a-z, 0-9,"
                    + " '.', '_' and '-', starting with a letter or digit, without '..'");
        }
        String area = s[5];
        if (!area.equals("files") && !area.equals("uploads")) {
            throw notFound();
        }
        FileKind kind = Names.kind(s[6]);
        if (kind == null || s.length > 8) {
            throw StoreException.badName("'" + String.join("/", List.of(s).subList(6, s.length))
                    + "' is not KIND/NAME: kinds are config, keys, data, index, snapshots, locks, marks, policy");
        }
        boolean list = s.length == 7 || s[7].isEmpty();
        Handle handle = list ? null : Names.handle(kind, s[7]);
        if (!list && handle == null) {
            throw StoreException.badName("'" + s[7] + "' is not a valid " + kind.folder()
                    + " file name: names are 1 to 128 of 0-9, a-z and '-' (the config file is named config)");
        }
        x.route = "/v1/repos/" + account + "/" + repo + "/" + area + "/" + kind.folder() + "/"
                + (list ? "" : "{name}");
        Principal who = authenticate(x);
        if (!who.accountName().equals(account)) {
            throw notFound(); // the same answer as for a missing file: nothing to learn by guessing
        }
        if (area.equals("uploads")) {
            if (list || !method.equals("HEAD")) {
                throw methodNotAllowed(method, "HEAD");
            }
            long held = store.uploadOffset(who, repo, handle);
            x.response.getHeaders().put("Upload-Offset", Long.toString(held));
            x.response.setStatus(200);
            x.response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
            return;
        }
        if (list) {
            if (!method.equals("GET")) {
                throw methodNotAllowed(method, "GET");
            }
            list(x, who, repo, kind);
            return;
        }
        switch (method) {
            case "PUT" -> put(x, who, repo, handle);
            case "GET" -> get(x, who, repo, handle);
            case "HEAD" -> head(x, who, repo, handle);
            case "DELETE" -> delete(x, who, repo, handle);
            default -> throw methodNotAllowed(method, "PUT, GET, HEAD, DELETE");
        }
    }

    private Principal authenticate(Exchange x) throws AuthFailure {
        Principal who = authenticator.authenticate(x.request.getHeaders().get(HttpHeader.AUTHORIZATION),
                Request.getRemoteAddr(x.request));
        x.account = who.accountName();
        return who;
    }

    // ---------------------------------------------------------------- storage API

    private void put(Exchange x, Principal who, String repo, Handle handle) throws StoreException, IOException {
        long length = x.request.getLength();
        if (length < 0) {
            throw StoreException.badRequest("a put needs a Content-Length header (chunked bodies are not accepted)");
        }
        if (length > maxBody) {
            throw new StoreException(413, "bad-request", "the body has " + length + " bytes; this server accepts at"
                    + " most " + maxBody + " per request");
        }
        RepoStore.Resume resume = null;
        String total = x.request.getHeaders().get("Upload-Length");
        if (total != null) {
            resume = new RepoStore.Resume(number(total, "Upload-Length"),
                    number(x.request.getHeaders().get("Upload-Offset"), "Upload-Offset"));
        } else if (x.request.getHeaders().get("Upload-Offset") != null) {
            throw StoreException.badRequest("Upload-Offset needs Upload-Length");
        }
        store.put(who, repo, handle, length, resume, Request.asInputStream(x.request));
        x.response.setStatus(201);
        x.response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
        Content.Sink.write(x.response, true, ByteBuffer.allocate(0));
    }

    private static long number(String value, String header) throws StoreException {
        if (value == null) {
            return 0;
        }
        try {
            long n = Long.parseLong(value.strip());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw StoreException.badRequest(header + " must be a non-negative number of bytes, not '" + value + "'");
    }

    private void get(Exchange x, Principal who, String repo, Handle handle) throws StoreException, IOException {
        long size = store.stat(who, repo, handle).size();
        long first = 0;
        long count = size;
        String range = x.request.getHeaders().get(HttpHeader.RANGE);
        if (range != null) {
            Matcher m = RANGE.matcher(range.strip());
            if (!m.matches()) {
                throw new StoreException(400, "bad-range", "only one range of the form bytes=FIRST- or"
                        + " bytes=FIRST-LAST is supported, not '" + range + "'");
            }
            first = Long.parseLong(m.group(1));
            long last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
            if (first >= size || last < first) {
                throw new StoreException(416, "bad-range", "the range " + range + " lies outside the file's "
                        + size + " bytes", Map.of("Content-Range", "bytes */" + size));
            }
            count = last - first + 1;
            x.response.setStatus(206);
            x.response.getHeaders().put(HttpHeader.CONTENT_RANGE, "bytes " + first + "-" + last + "/" + size);
        } else {
            x.response.setStatus(200);
        }
        x.response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
        x.response.getHeaders().put(HttpHeader.CONTENT_LENGTH, count);
        if (count == 0) {
            Content.Sink.write(x.response, true, ByteBuffer.allocate(0));
            return;
        }
        long offset = first;
        long length = count;
        store.read(who, repo, handle, offset, length == size ? 0 : length, in -> {
            try (OutputStream out = Content.Sink.asOutputStream(x.response)) {
                byte[] buffer = new byte[BUFFER];
                for (int n; (n = in.read(buffer)) != -1; ) {
                    out.write(buffer, 0, n);
                }
            }
        });
    }

    private void head(Exchange x, Principal who, String repo, Handle handle) throws StoreException, IOException {
        long size = store.stat(who, repo, handle).size();
        x.response.setStatus(200);
        x.response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
        x.response.getHeaders().put(HttpHeader.CONTENT_LENGTH, size);
    }

    private void delete(Exchange x, Principal who, String repo, Handle handle) throws StoreException, IOException {
        RepoStore.Deleted deleted = store.delete(who, repo, handle);
        x.response.setStatus(204);
        if (deleted.trashed()) {
            x.response.getHeaders().put("Cairn-Trashed", "1");
        }
    }

    private void list(Exchange x, Principal who, String repo, FileKind kind) throws StoreException, IOException {
        List<FileInfo> files = store.list(who, repo, kind);
        x.response.setStatus(200);
        x.response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        try (Writer w = new BufferedWriter(new OutputStreamWriter(Content.Sink.asOutputStream(x.response),
                StandardCharsets.UTF_8), BUFFER)) {
            for (FileInfo f : files) {
                w.write(f.handle().name());
                w.write(' ');
                w.write(Long.toString(f.size()));
                w.write('\n');
            }
        }
    }

    // ---------------------------------------------------------------- account API

    private void account(Exchange x, String method, String[] s) throws StoreException, AuthFailure, IOException {
        String path = String.join("/", s);
        if (path.equals("/v1/account")) {
            x.route = "/v1/account";
            requireMethod(method, "GET");
            Principal who = owner(x);
            Catalog.Account a = catalog.account(who.accountId()).orElseThrow(CairnHandler::notFound);
            Usage u = catalog.usage(a.id());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", a.name());
            body.put("quota", a.quotaBytes());
            body.put("used", u.total());
            body.put("live", u.liveBytes());
            body.put("trash", u.trashBytes());
            body.put("uploads", u.uploadBytes());
            body.put("repositories", u.repositories().stream().map(r -> Map.of(
                    "name", r.name(), "files", r.files(), "bytes", r.bytes())).toList());
            sendJson(x, body);
            return;
        }
        if (path.equals("/v1/account/trash")) {
            x.route = "/v1/account/trash";
            requireMethod(method, "GET");
            Principal who = owner(x);
            sendJson(x, catalog.trashOf(who.accountId()).stream().map(CairnHandler::trashJson).toList());
            return;
        }
        if (s.length == 6 && s[3].equals("trash") && s[5].equals("restore") && s[4].matches("\\d{1,18}")) {
            x.route = "/v1/account/trash/{id}/restore";
            requireMethod(method, "POST");
            Principal who = owner(x);
            store.restore(who.accountId(), Long.parseLong(s[4]), who.credential());
            x.response.setStatus(204);
            return;
        }
        x.route = "(unknown)";
        throw notFound();
    }

    static Map<String, Object> trashJson(TrashEntry t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("repository", t.repoName());
        m.put("kind", t.kind().folder());
        m.put("name", t.name());
        m.put("size", t.size());
        m.put("trashed-at", Instant.ofEpochMilli(t.trashedMs()).toString());
        m.put("reason", t.reason());
        return m;
    }

    private Principal owner(Exchange x) throws AuthFailure, StoreException {
        Principal who = authenticate(x);
        if (!who.owner()) {
            throw new StoreException(401, "unauthorized", "the account API needs the account password (Basic"
                    + " authentication); device tokens reach only the storage API");
        }
        return who;
    }

    private void health(Exchange x, String method) throws StoreException, IOException {
        requireMethod(method, "GET");
        boolean ok = catalog.reachable() && store.reachable();
        if (!ok) {
            throw new StoreException(503, "unavailable", "the server cannot reach its catalog or data directory");
        }
        x.response.setStatus(200);
        x.response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        Content.Sink.write(x.response, true, ByteBuffer.wrap("ok\n".getBytes(StandardCharsets.US_ASCII)));
    }

    // ---------------------------------------------------------------- monitoring

    /** Reports are small; a larger body is a mistake or an attack. */
    static final int MAX_REPORT = 1 << 20;

    private void report(Exchange x, String method) throws StoreException, AuthFailure, IOException {
        requireMethod(method, "POST");
        Principal who = authenticate(x);
        String device = who.credentialKey().startsWith("token:")
                ? catalog.token(who.credentialKey().substring(6)).map(Catalog.Token::device).orElse(null) : null;
        if (device == null) {
            throw new StoreException(401, "unauthorized", "reports need the device token of the client that ran"
                    + " the backup (Bearer); the account password names no client");
        }
        String type = x.request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (type != null && !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw StoreException.badRequest("a report must be sent as Content-Type: application/json, not " + type);
        }
        if (x.request.getLength() > MAX_REPORT) {
            throw new StoreException(413, "bad-request", "a report may have at most " + MAX_REPORT + " bytes");
        }
        byte[] body;
        try (InputStream in = Request.asInputStream(x.request)) {
            body = in.readNBytes(MAX_REPORT + 1);
        }
        if (body.length > MAX_REPORT) {
            throw new StoreException(413, "bad-request", "a report may have at most " + MAX_REPORT + " bytes");
        }
        try {
            monitor.accept(who.accountId(), device, body);
        } catch (BadReportException e) {
            throw StoreException.badRequest(e.getMessage());
        }
        x.response.setStatus(202);
        x.response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
        Content.Sink.write(x.response, true, ByteBuffer.allocate(0));
    }

    private void metrics(Exchange x, String method) throws StoreException, IOException {
        requireMethod(method, "GET");
        String token = monitor == null ? null : monitor.settings().metricsToken();
        if (token != null) {
            String presented = x.request.getHeaders().get(HttpHeader.AUTHORIZATION);
            if (presented == null || !MessageDigest.isEqual(("Bearer " + token).getBytes(StandardCharsets.UTF_8),
                    presented.strip().getBytes(StandardCharsets.UTF_8))) {
                throw new StoreException(401, "unauthorized", "/metrics needs Authorization: Bearer with the"
                        + " server's metrics-token", Map.of("WWW-Authenticate", "Bearer realm=\"cairn-metrics\""));
            }
        } else if (!loopback(Request.getRemoteAddr(x.request))) {
            throw new StoreException(403, "forbidden", "/metrics answers only local clients unless the server has a"
                    + " metrics-token; configure one to scrape from elsewhere");
        }
        byte[] bytes = metrics.scrape().getBytes(StandardCharsets.UTF_8);
        x.response.setStatus(200);
        x.response.getHeaders().put(HttpHeader.CONTENT_TYPE, Metrics.CONTENT_TYPE);
        x.response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        Content.Sink.write(x.response, true, ByteBuffer.wrap(bytes));
    }

    private static boolean loopback(String address) {
        try {
            // A literal address: no name lookup happens.
            return address != null && InetAddress.getByName(address.replaceAll("^\\[|\\]$", "")).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private void sendJson(Exchange x, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        x.response.setStatus(200);
        x.response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        x.response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        Content.Sink.write(x.response, true, ByteBuffer.wrap(bytes));
    }

    // ---------------------------------------------------------------- errors

    private static StoreException notFound() {
        return StoreException.notFound();
    }

    private static void requireMethod(String method, String allowed) throws StoreException {
        if (!method.equals(allowed)) {
            throw methodNotAllowed(method, allowed);
        }
    }

    private static StoreException methodNotAllowed(String method, String allowed) {
        return new StoreException(405, "bad-request", method + " is not supported here; use " + allowed,
                Map.of("Allow", allowed));
    }

    /** Bodies up to this size are read and dropped when a put is refused before its body was read. */
    private static final long DRAIN_LIMIT = 64L * 1024 * 1024;

    /**
     * A client still sending a refused put's body would see the connection reset instead of the
     * refusal, and take a quota error for a network failure to retry. So read and drop what is
     * left, unless it is too large to be worth it (then the connection closes).
     */
    private static void drainRefusedBody(Request request) {
        long length = request.getLength();
        if (length <= 0 || length > DRAIN_LIMIT || Request.getContentBytesRead(request) >= length) {
            return;
        }
        try {
            Content.Source.consumeAll(request);
        } catch (IOException | RuntimeException ignored) {
            // The client went away; there is nobody left to tell.
        }
    }

    /** Writes an error response; returns the failure to report if the response was already under way. */
    private static Throwable sendError(Exchange x, int status, String code, String message, Map<String, String> headers) {
        Response r = x.response;
        if (r.isCommitted()) {
            return new IOException("failed after the response began: " + code + ": " + message);
        }
        drainRefusedBody(x.request);
        try {
            r.reset();
            r.setStatus(status);
            r.getHeaders().put("Cairn-Error", code);
            headers.forEach((k, v) -> r.getHeaders().put(k, v));
            r.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
            String text = message.endsWith("\n") ? message : message + "\n";
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            r.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            if (x.request.getMethod().equals("HEAD")) {
                return null;
            }
            Content.Sink.write(r, true, ByteBuffer.wrap(body));
            return null;
        } catch (IOException | RuntimeException e) {
            return e;
        }
    }
}
