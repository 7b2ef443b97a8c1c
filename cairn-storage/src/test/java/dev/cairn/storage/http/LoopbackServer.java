package dev.cairn.storage.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A JDK HTTP(S) server on 127.0.0.1 whose answers each test scripts, recording every request. */
final class LoopbackServer implements AutoCloseable {
    /** One request as the server saw it. */
    record Request(String method, String path, Headers headers, byte[] body) {
        String header(String name) {
            return headers.getFirst(name);
        }
    }

    /** Answers one exchange; {@code index} counts the exchanges before it. */
    @FunctionalInterface
    interface Script {
        void answer(HttpExchange exchange, int index) throws IOException;
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger exchanges = new AtomicInteger();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private volatile Script script = (exchange, index) -> reply(exchange, 500, "", "no script");

    private LoopbackServer(HttpServer server) {
        this.server = server;
        server.createContext("/", new Dispatch());
        server.setExecutor(executor);
        server.start();
    }

    static LoopbackServer http() throws IOException {
        return new LoopbackServer(HttpServer.create(address(), 0));
    }

    static LoopbackServer https() throws Exception {
        HttpsServer server = HttpsServer.create(address(), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(TestCertificate.get().serverContext));
        return new LoopbackServer(server);
    }

    private static InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    void script(Script script) {
        this.script = script;
    }

    int port() {
        return server.getAddress().getPort();
    }

    ServerLocation location() {
        return ServerLocation.parse((server instanceof HttpsServer ? "cairn+https" : "cairn+http")
                + "://127.0.0.1:" + port() + "/alice/laptop");
    }

    /** Records the request line and headers; the script decides whether to read the body. */
    private final class Dispatch implements HttpHandler {
        @Override
        public void handle(HttpExchange exchange) throws IOException {
            int index = exchanges.getAndIncrement();
            try {
                script.answer(exchange, index);
            } finally {
                exchange.close();
            }
        }
    }

    /** Records a request whose body the script read. */
    void record(HttpExchange exchange, byte[] body) {
        requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestHeaders(), body));
    }

    /** Records a request, reading its whole body. */
    byte[] recordAll(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        record(exchange, body);
        return body;
    }

    /** Sends a complete answer; a HEAD answer gets no body. */
    static void reply(HttpExchange exchange, int status, String code, String message) throws IOException {
        if (!code.isEmpty()) {
            exchange.getResponseHeaders().set("Cairn-Error", code);
        }
        byte[] body = message.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        if (exchange.getRequestMethod().equals("HEAD") || status == 204 || body.length == 0) {
            exchange.sendResponseHeaders(status, -1);
        } else {
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
