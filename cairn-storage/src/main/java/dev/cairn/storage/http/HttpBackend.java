package dev.cairn.storage.http;

import dev.cairn.storage.Backend;
import dev.cairn.storage.FileInfo;
import dev.cairn.storage.FileKind;
import dev.cairn.storage.Handle;
import dev.cairn.storage.MissingPacksException;
import dev.cairn.storage.NotAuthorizedException;
import dev.cairn.storage.Payload;
import dev.cairn.storage.QuotaExceededException;
import dev.cairn.storage.TransientIOException;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * A {@link Backend} that keeps a repository on a Cairn server, speaking the storage API of the
 * design's "Server protocol" over HTTP/1.1, usually with TLS.
 *
 * <p>Every request carries the credential as {@code Authorization: Bearer …}. The credential
 * never appears in messages, exceptions or {@link #toString()}. With a pinned {@link Fingerprint}
 * the server's certificate is accepted if and only if it has that fingerprint (see
 * {@link PinningTrustManager}); without one, the JDK's usual CA and host name checks apply.
 * Redirects are never followed, so the credential goes to no other server.
 *
 * <p>Server answers map to exceptions as the protocol's errors table says: 404 is a
 * {@link NoSuchFileException}, 409 {@code exists} a {@link FileAlreadyExistsException}, 409
 * {@code missing-packs} a {@link MissingPacksException}, 507 a {@link QuotaExceededException},
 * 401 and 429 a {@link NotAuthorizedException}; 5xx, timeouts and dropped connections are
 * {@link TransientIOException}s; anything else, and any certificate problem, is a permanent
 * {@link IOException} naming the file, the status, the server's error code and its message.
 * Listing a repository the server does not know (404) gives an empty list, since a repository
 * comes into being with its first file.
 *
 * <p>Reads stream the response into the consumer without buffering it; a body shorter than
 * the range asked for, or a connection lost while the consumer reads, is a
 * {@link TransientIOException}. Puts stream the payload. A payload of more than 1 MiB is sent
 * as a resumable upload: if the connection drops or the server fails, the put asks the server
 * how much it holds and sends only the rest, a few times over, before giving up with a
 * {@link TransientIOException}. A put that finds its file already stored after such an attempt
 * counts as done when the stored file has the payload's size: the names of large files are
 * hashes of their contents.
 *
 * <p>Thread-safe: one HTTP client, with its connection pool, serves all threads.
 */
public final class HttpBackend implements Backend {
    /** Payloads longer than this are uploaded resumably. */
    static final long RESUMABLE_THRESHOLD = 1024 * 1024;
    /** Attempts of one resumable upload within a single put. */
    static final int UPLOAD_ATTEMPTS = 4;

    private static final int MAX_ERROR_BODY = 1024 * 1024;
    private static final int MAX_MESSAGE_CHARS = 2000;
    // Slowest upload rate still allowed to finish within a put's timeout; see uploadTimeout.
    private static final long MIN_UPLOAD_BYTES_PER_SECOND = 32 * 1024;
    private static final Duration BUSY_PAUSE = Duration.ofMillis(250);
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final Pattern UNSATISFIED_RANGE = Pattern.compile("bytes \\*/(\\d+)");
    private static final Pattern PACK_NAME = Pattern.compile("[0-9a-z-]{1,128}");

    private final ServerLocation location;
    private final URI base;
    private final String authorization;
    private final boolean pinned;
    private final Duration requestTimeout;
    private final HttpResponse.BodyHandler<InputStream> bodies;
    private volatile HttpClient client;

    private HttpBackend(Builder builder, HttpClient client) {
        this.location = builder.location;
        this.base = builder.location.baseUri();
        this.authorization = "Bearer " + builder.credential;
        this.pinned = builder.fingerprint != null;
        this.requestTimeout = builder.requestTimeout;
        Duration idle = builder.idleTimeout;
        String peer = builder.location.hostAndPort();
        this.bodies = info -> HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofInputStream(),
                in -> new IdleTimeoutInputStream(in, idle, peer));
        this.client = client;
    }

    /** Starts building a backend for the repository at {@code location}. */
    public static Builder builder(ServerLocation location) {
        return new Builder(location);
    }

    /** Settings of an {@link HttpBackend}; only the credential is required. */
    public static final class Builder {
        private final ServerLocation location;
        private String credential;
        private Fingerprint fingerprint;
        private Duration connectTimeout = Duration.ofSeconds(15);
        private Duration requestTimeout = Duration.ofSeconds(60);
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Executor executor;

        private Builder(ServerLocation location) {
            this.location = Objects.requireNonNull(location, "location");
        }

        /** The device token (or other bearer credential) sent with every request. */
        public Builder credential(String credential) {
            this.credential = Objects.requireNonNull(credential, "credential");
            return this;
        }

        /** The pinned certificate fingerprint; null (the default) trusts the JDK's CAs instead. */
        public Builder fingerprint(Fingerprint fingerprint) {
            this.fingerprint = fingerprint;
            return this;
        }

        /** How long to wait for a connection to open; default 15 s. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connect timeout");
            return this;
        }

        /**
         * How long to wait for a response's headers; default 60 s. For a put the wait includes
         * sending the body, so the put's limit is extended by one second per 32 KiB sent.
         */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "request timeout");
            return this;
        }

        /**
         * How long a response body may go without a byte before the read is given up as a
         * transient failure; default 60 s. The request timeout ends when the headers arrive.
         */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = positive(timeout, "idle timeout");
            return this;
        }

        /** Runs the HTTP client's asynchronous work; by default the client makes its own threads. */
        public Builder executor(Executor executor) {
            this.executor = executor;
            return this;
        }

        /**
         * The backend.
         *
         * @throws IllegalStateException if no credential was given
         * @throws IllegalArgumentException if the credential cannot go in a header, or a
         *     fingerprint was given for a plain-HTTP location
         */
        public HttpBackend build() {
            if (credential == null) {
                throw new IllegalStateException("a credential is required to talk to " + location);
            }
            if (credential.isEmpty() || !credential.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                // Deliberately without the value: it is a secret.
                throw new IllegalArgumentException("the credential is empty or contains characters"
                        + " that cannot be sent in an HTTP header");
            }
            if (fingerprint != null && !location.tls()) {
                throw new IllegalArgumentException("a certificate fingerprint needs a cairn+https"
                        + " location, not " + location);
            }
            HttpClient.Builder http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(connectTimeout);
            if (location.tls()) {
                http.sslContext(fingerprint != null ? PinningTrustManager.sslContext(fingerprint)
                        : defaultSslContext());
            }
            if (executor != null) {
                http.executor(executor);
            }
            return new HttpBackend(this, http.build());
        }

        private static Duration positive(Duration duration, String what) {
            if (duration == null || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(what + " must be positive: " + duration);
            }
            return duration;
        }

        private static SSLContext defaultSslContext() {
            try {
                return SSLContext.getDefault();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the platform has no default TLS context", e);
            }
        }
    }

    @Override
    public String location() {
        return location.toString();
    }

    @Override
    public String toString() {
        return "HttpBackend[" + location + "]";
    }

    // --- put ------------------------------------------------------------------------------

    @Override
    public void put(Handle handle, Payload payload) throws IOException {
        long total = payload.length();
        if (total < 0) {
            throw new IllegalArgumentException("negative payload length: " + total);
        }
        boolean resumable = total > RESUMABLE_THRESHOLD;
        long offset = 0;
        for (int attempt = 1; ; attempt++) {
            try {
                putFrom(handle, payload, offset, total, resumable);
                return;
            } catch (FileAlreadyExistsException e) {
                // An earlier attempt may have landed although its answer was lost.
                if (attempt > 1 && hasSize(handle, total)) {
                    return;
                }
                throw e;
            } catch (OffsetMismatchException e) {
                if (attempt >= UPLOAD_ATTEMPTS) {
                    throw new TransientIOException(handle + ": the server keeps reporting a different"
                            + " upload offset", e);
                }
                if (e.held < 0 || e.held > total) {
                    throw new IOException(handle + ": the server holds " + e.held
                            + " bytes of an upload of " + total + " bytes");
                }
                offset = e.held;
            } catch (TransientIOException e) {
                if (!resumable || attempt >= UPLOAD_ATTEMPTS) {
                    throw e;
                }
                if (e instanceof UploadBusyException) {
                    // The server has not yet noticed that our previous connection is gone.
                    pause(BUSY_PAUSE.multipliedBy(attempt), e);
                }
                offset = heldOffset(handle, total);
            }
        }
    }

    /** One PUT of bytes {@code offset … total-1}. */
    private void putFrom(Handle handle, Payload payload, long offset, long total, boolean resumable)
            throws IOException {
        long count = total - offset;
        try (PayloadSource source = new PayloadSource(payload, offset, count)) {
            BodyPublisher body = count == 0 ? BodyPublishers.noBody()
                    : BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(source::newStream), count);
            HttpRequest.Builder request = request(fileUri(handle), uploadTimeout(count)).PUT(body);
            if (resumable) {
                // No Expect: 100-continue: on Java 17 the client then loses the body of a refusal
                // (the quota message) and can hang reading it. A server refusing early simply
                // answers while we send, which the client handles.
                request.header("Upload-Length", Long.toString(total));
                if (offset > 0) {
                    request.header("Upload-Offset", Long.toString(offset));
                }
            }
            HttpResponse<InputStream> response;
            try {
                response = exchange(request.build(), handle.toString());
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                if (source.failure() != null) {
                    throw new IOException(handle + ": cannot read the data to upload: "
                            + describe(source.failure()), source.failure());
                }
                throw networkFailure(handle.toString(), e);
            }
            handlePutResponse(response, handle);
        }
    }

    private void handlePutResponse(HttpResponse<InputStream> response, Handle handle) throws IOException {
        int status = response.statusCode();
        if (status / 100 == 2) {
            discard(response);
            return;
        }
        String code = errorCode(response);
        if (status == 409 && code.equals("offset-mismatch")) {
            OptionalLong held = response.headers().firstValueAsLong("Upload-Offset");
            discard(response);
            if (held.isEmpty()) {
                throw new IOException(handle + ": the server reported an offset mismatch without"
                        + " saying which offset it holds");
            }
            throw new OffsetMismatchException(held.getAsLong());
        }
        if (status == 409 && code.equals("upload-busy")) {
            throw new UploadBusyException(handle + ": the server is still receiving an earlier upload"
                    + " of this file: " + message(response));
        }
        throw failure(response, handle.toString(), "store");
    }

    /** How many bytes of an interrupted upload the server holds. */
    private long heldOffset(Handle handle, long total) throws IOException {
        URI uri = base.resolve("uploads/" + handle.kind().folder() + "/" + handle.name());
        HttpResponse<InputStream> response = send(request(uri, requestTimeout)
                .method("HEAD", BodyPublishers.noBody()).build(), handle.toString());
        int status = response.statusCode();
        if (status == 404) {
            discard(response);
            return 0;
        }
        if (status != 200) {
            throw failure(response, handle.toString(), "resume the upload of");
        }
        long held = response.headers().firstValueAsLong("Upload-Offset").orElse(0);
        discard(response);
        if (held < 0 || held > total) {
            throw new IOException(handle + ": the server holds " + held + " bytes of an upload of "
                    + total + " bytes");
        }
        return held;
    }

    private boolean hasSize(Handle handle, long size) throws IOException {
        try {
            return stat(handle).size() == size;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** A put's response comes after its body, so its wait grows with the bytes to send. */
    private Duration uploadTimeout(long count) {
        return requestTimeout.plusSeconds(count / MIN_UPLOAD_BYTES_PER_SECOND);
    }

    // --- read -----------------------------------------------------------------------------

    @Override
    public void read(Handle handle, long offset, long length, ReadConsumer consumer) throws IOException {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset or length: " + offset + ", " + length);
        }
        Objects.requireNonNull(consumer, "consumer");
        HttpRequest.Builder request = request(fileUri(handle), requestTimeout).GET();
        if (offset > 0 || length > 0) {
            request.header("Range", rangeHeader(offset, length));
        }
        HttpResponse<InputStream> response = send(request.build(), handle.toString());
        try (InputStream body = response.body()) {
            BodyStream stream = bodyStream(response, handle, offset, length);
            deliver(stream, consumer, length > 0);
        }
    }

    static String rangeHeader(long offset, long length) {
        return "bytes=" + offset + "-" + (length > 0 ? Long.toString(offset + length - 1) : "");
    }

    /** The part of the response body that holds the asked range, or the failure it reports. */
    private BodyStream bodyStream(HttpResponse<InputStream> response, Handle handle, long offset,
            long length) throws IOException {
        String subject = handle.toString();
        switch (response.statusCode()) {
            case 206:
                return new BodyStream(response.body(), checkContentRange(response, handle, offset, length),
                        subject);
            case 200:
                return wholeBody(response, handle, offset, length);
            case 416:
                OptionalLong size = unsatisfiedRangeSize(response);
                if (length == 0 && size.isPresent() && size.getAsLong() == offset) {
                    // Reading from the very end yields nothing, as on the other backends.
                    discard(response);
                    return new BodyStream(InputStream.nullInputStream(), 0, subject);
                }
                throw failure(response, subject, "read");
            default:
                throw failure(response, subject, "read");
        }
    }

    /** A 200 answer: the whole file, of which the range is cut out here. */
    private BodyStream wholeBody(HttpResponse<InputStream> response, Handle handle, long offset,
            long length) throws IOException {
        OptionalLong size = response.headers().firstValueAsLong("Content-Length");
        if (size.isPresent() && (offset > size.getAsLong() || offset + length > size.getAsLong())) {
            throw pastEnd(handle, offset, length, size.getAsLong());
        }
        try {
            response.body().skipNBytes(offset);
        } catch (EOFException e) {
            throw pastEnd(handle, offset, length, -1);
        } catch (IOException e) {
            throw networkFailure(handle.toString(), e);
        }
        long expected = length > 0 ? length : size.isPresent() ? size.getAsLong() - offset : -1;
        return new BodyStream(response.body(), expected, handle.toString());
    }

    /** Checks that a 206 answer holds exactly the asked range; returns its length. */
    private long checkContentRange(HttpResponse<InputStream> response, Handle handle, long offset,
            long length) throws IOException {
        String header = response.headers().firstValue("Content-Range").orElse("");
        Matcher m = CONTENT_RANGE.matcher(header);
        if (!m.matches()) {
            throw new IOException(handle + ": the server answered a ranged read with"
                    + " an invalid Content-Range '" + header + "'");
        }
        long first = Long.parseLong(m.group(1));
        long last = Long.parseLong(m.group(2));
        long total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
        long wantedLast = length > 0 ? offset + length - 1 : total - 1;
        if (length > 0 && total >= 0 && offset + length > total) {
            throw pastEnd(handle, offset, length, total);
        }
        if (first != offset || (wantedLast >= 0 && last != wantedLast) || last < first) {
            throw new IOException(handle + ": asked for bytes from " + offset
                    + (length > 0 ? " to " + (offset + length - 1) : " to the end")
                    + ", the server sent " + header);
        }
        return last - first + 1;
    }

    private static OptionalLong unsatisfiedRangeSize(HttpResponse<InputStream> response) {
        Matcher m = UNSATISFIED_RANGE.matcher(response.headers().firstValue("Content-Range").orElse(""));
        return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    private static IOException pastEnd(Handle handle, long offset, long length, long size) {
        return new IOException(handle + ": cannot read " + (length > 0 ? length + " bytes" : "")
                + " from offset " + offset + ": that is past the end of the file"
                + (size >= 0 ? " (" + size + " bytes)" : ""));
    }

    /**
     * Hands the body to the consumer. Failures of the connection, even when they surface through
     * the consumer, become transient; the consumer's own exceptions pass unchanged.
     */
    private void deliver(BodyStream stream, ReadConsumer consumer, boolean exact) throws IOException {
        try {
            consumer.accept(stream);
        } catch (IOException e) {
            IOException lost = stream.failure;
            if (lost != null && causedBy(e, lost)) {
                throw stream.asTransient(lost);
            }
            throw e;
        }
        if (exact) {
            // The caller asked for exactly these bytes: make sure the server sent all of them.
            try {
                stream.drain();
            } catch (IOException e) {
                throw stream.asTransient(e);
            }
        }
    }

    private static boolean causedBy(Throwable thrown, Throwable cause) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t == cause) {
                return true;
            }
        }
        return false;
    }

    // --- stat, list, delete ---------------------------------------------------------------

    @Override
    public FileInfo stat(Handle handle) throws IOException {
        HttpResponse<InputStream> response = send(request(fileUri(handle), requestTimeout)
                .method("HEAD", BodyPublishers.noBody()).build(), handle.toString());
        if (response.statusCode() != 200) {
            throw failure(response, handle.toString(), "stat");
        }
        OptionalLong size = response.headers().firstValueAsLong("Content-Length");
        discard(response);
        if (size.isEmpty() || size.getAsLong() < 0) {
            throw new IOException(handle + ": the server did not say the file's size");
        }
        return new FileInfo(handle, size.getAsLong());
    }

    @Override
    public List<FileInfo> list(FileKind kind) throws IOException {
        String subject = "the list of " + kind.folder();
        HttpResponse<InputStream> response = send(request(base.resolve("files/" + kind.folder() + "/"),
                requestTimeout).GET().build(), subject);
        if (response.statusCode() == 404) {
            discard(response);
            return List.of();
        }
        if (response.statusCode() != 200) {
            throw failure(response, subject, "list");
        }
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            List<FileInfo> files = new ArrayList<>();
            for (String line = readLine(reader, subject); line != null; line = readLine(reader, subject)) {
                if (!line.isEmpty()) {
                    files.add(parseListLine(kind, line, subject));
                }
            }
            return files;
        }
    }

    private String readLine(BufferedReader reader, String subject) throws IOException {
        try {
            return reader.readLine();
        } catch (IOException e) {
            throw networkFailure(subject, e);
        }
    }

    private static FileInfo parseListLine(FileKind kind, String line, String subject) throws IOException {
        int space = line.indexOf(' ');
        try {
            if (space < 0) {
                throw new IllegalArgumentException("no size");
            }
            long size = Long.parseLong(line.substring(space + 1).strip());
            if (size < 0) {
                throw new IllegalArgumentException("negative size");
            }
            return new FileInfo(Handle.of(kind, line.substring(0, space)), size);
        } catch (IllegalArgumentException e) {
            throw new IOException(subject + ": the server sent an invalid line '"
                    + abbreviate(line) + "' (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public void delete(Handle handle) throws IOException {
        HttpResponse<InputStream> response = send(request(fileUri(handle), requestTimeout)
                .DELETE().build(), handle.toString());
        // Trashed (Cairn-Trashed: 1) or removed: either way the file is gone from this API.
        if (response.statusCode() / 100 != 2) {
            throw failure(response, handle.toString(), "delete");
        }
        discard(response);
    }

    /** Drops the HTTP client; its idle connections and threads end with it. */
    @Override
    public void close() {
        client = null;
    }

    // --- HTTP plumbing --------------------------------------------------------------------

    private URI fileUri(Handle handle) {
        return base.resolve("files/" + handle.kind().folder() + "/" + handle.name());
    }

    private HttpRequest.Builder request(URI uri, Duration timeout) {
        return HttpRequest.newBuilder(uri).timeout(timeout).header("Authorization", authorization);
    }

    /** Sends a request, mapping connection failures to exceptions of this backend. */
    private HttpResponse<InputStream> send(HttpRequest request, String subject) throws IOException {
        try {
            return exchange(request, subject);
        } catch (InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            throw networkFailure(subject, e);
        }
    }

    /** Sends a request; connection failures come out as the HTTP client reports them. */
    private HttpResponse<InputStream> exchange(HttpRequest request, String subject) throws IOException {
        HttpClient http = client;
        if (http == null) {
            throw new IOException(location + ": the backend is closed");
        }
        try {
            return http.send(request, bodies);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(subject + ": interrupted while talking to "
                    + location.hostAndPort());
        }
    }

    /** A failure to talk to the server at all: transient, unless the certificate is the problem. */
    private IOException networkFailure(String subject, IOException e) {
        CertificateException certificate = find(e, CertificateException.class);
        if (certificate != null) {
            return new IOException(location.hostAndPort() + ": " + certificate.getMessage()
                    + (pinned ? "" : " (if the server uses a self-signed certificate, pin its"
                    + " fingerprint)"), e);
        }
        if (e instanceof HttpTimeoutException) {
            return new TransientIOException(subject + ": no answer from " + location.hostAndPort()
                    + " in time (" + describe(e) + ")", e);
        }
        return new TransientIOException(subject + ": connection to " + location.hostAndPort()
                + " failed: " + describe(e), e);
    }

    private static <T extends Throwable> T find(Throwable thrown, Class<T> type) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** The exception for an unsuccessful answer, per the protocol's errors table. */
    private IOException failure(HttpResponse<InputStream> response, String subject, String action) {
        int status = response.statusCode();
        String code = errorCode(response);
        String text = body(response);
        String message = abbreviate(text.strip());
        String details = "HTTP " + status + (code.isEmpty() ? "" : " " + code)
                + (message.isEmpty() ? "" : ": " + message);
        switch (status) {
            case 401:
                return new NotAuthorizedException("the server " + location.hostAndPort()
                        + " refused the credential for " + location.account() + "/" + location.repo()
                        + " (" + details + ")");
            case 404:
                return new NoSuchFileException(subject);
            case 409:
                if (code.equals("exists")) {
                    return new FileAlreadyExistsException(subject);
                }
                if (code.equals("missing-packs")) {
                    return missingPacks(subject, text);
                }
                break;
            case 416:
                return new IOException(subject + ": cannot " + action + " past the end of the file ("
                        + details + ")");
            case 429:
                return new NotAuthorizedException("the server " + location.hostAndPort()
                        + " is refusing attempts after too many failed authentications; try again"
                        + response.headers().firstValue("Retry-After")
                                .map(s -> " in " + s + " seconds (Retry-After)").orElse(" later")
                        + " (" + details + ")");
            case 507:
                return new QuotaExceededException(message.isEmpty()
                        ? "the account on " + location.hostAndPort() + " is out of space" : message);
            default:
                break;
        }
        if (status >= 500) {
            return new TransientIOException(subject + ": the server failed to " + action + " it ("
                    + details + ")");
        }
        return new IOException(subject + ": the server refused to " + action + " it (" + details + ")");
    }

    /** Pack names are the body's lines that look like names; any other line is explanation. */
    private static MissingPacksException missingPacks(String subject, String body) {
        List<String> packs = new ArrayList<>();
        List<String> prose = new ArrayList<>();
        for (String line : body.split("\n")) {
            String stripped = line.strip();
            if (PACK_NAME.matcher(stripped).matches()) {
                packs.add(stripped);
            } else if (!stripped.isEmpty()) {
                prose.add(stripped);
            }
        }
        String message = subject + ": the server no longer holds " + packs.size()
                + " pack(s) this snapshot needs" + (prose.isEmpty() ? "" : ": " + String.join(" ", prose));
        return new MissingPacksException(abbreviate(message), packs);
    }

    private static String errorCode(HttpResponse<?> response) {
        return response.headers().firstValue("Cairn-Error").orElse("").strip();
    }

    /** The server's text for a person, read from an error response whose stream it closes. */
    private static String message(HttpResponse<InputStream> response) {
        return abbreviate(body(response).strip());
    }

    private static String body(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            return new String(in.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Reads what is left of a response so its connection can be reused, then closes it. */
    private static void discard(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // The answer was complete enough; a broken connection is simply not reused.
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= MAX_MESSAGE_CHARS ? text : text.substring(0, MAX_MESSAGE_CHARS) + "…";
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static void pause(Duration duration, IOException cause) throws InterruptedIOException {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted = new InterruptedIOException("interrupted while waiting"
                    + " to resume an upload");
            interrupted.initCause(cause);
            throw interrupted;
        }
    }

    /** The server holds a different part of the upload than we assumed. */
    private static final class OffsetMismatchException extends IOException {
        final long held;

        OffsetMismatchException(long held) {
            super("upload offset mismatch, the server holds " + held + " bytes");
            this.held = held;
        }
    }

    /** The server is still busy with an earlier, probably dead, connection's upload. */
    private static final class UploadBusyException extends TransientIOException {
        UploadBusyException(String message) {
            super(message);
        }
    }

    /** Counts the body bytes the consumer reads and notices a body that ends too soon. */
    private static final class BodyStream extends InputStream {
        private final InputStream in;
        private final long expected;
        private final String subject;
        private long count;
        volatile IOException failure;

        BodyStream(InputStream in, long expected, String subject) {
            this.in = in;
            this.expected = expected;
            this.subject = subject;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (expected >= 0 && count >= expected) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            int wanted = expected >= 0 ? (int) Math.min(len, expected - count) : len;
            int n;
            try {
                n = in.read(b, off, wanted);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
            if (n < 0 && expected >= 0) {
                failure = new TransientIOException(subject + ": short read, the server sent " + count
                        + " of " + expected + " bytes");
                throw failure;
            }
            count += Math.max(n, 0);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // Skipping through read keeps the count and the failure bookkeeping right.
            byte[] buffer = new byte[(int) Math.min(8192, Math.max(n, 0))];
            long skipped = 0;
            while (skipped < n) {
                int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
                if (r < 0) {
                    break;
                }
                skipped += r;
            }
            return skipped;
        }

        @Override
        public int available() throws IOException {
            return expected < 0 ? in.available() : (int) Math.min(in.available(), expected - count);
        }

        /** The response is closed by the backend, after it checked the byte count. */
        @Override
        public void close() {}

        void drain() throws IOException {
            byte[] buffer = new byte[8192];
            while (read(buffer, 0, buffer.length) >= 0) {
                // Counting only.
            }
        }

        IOException asTransient(IOException e) {
            if (e instanceof TransientIOException) {
                return e.getMessage().startsWith(subject) ? e : new TransientIOException(subject + ": " + e.getMessage(), e);
            }
            return new TransientIOException(subject
                    + ": connection lost while reading: " + describe(e), e);
        }
    }
}
