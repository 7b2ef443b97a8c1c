package dev.cairn.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for a server's {@code POST /v1/reports} on loopback: records each request and
 * answers 202. It can be stopped and started again on the same port, like a server that went
 * away for a while.
 */
final class ReportReceiver implements AutoCloseable {
    /** One request as received. */
    record Received(String authorization, String contentType, String body) {}

    final List<Received> received = new CopyOnWriteArrayList<>();
    private int port;
    private HttpServer server;

    private ReportReceiver() {}

    /** A receiver on a free port, started. */
    static ReportReceiver start() throws IOException {
        ReportReceiver r = new ReportReceiver();
        r.server = r.listen(0);
        r.port = r.server.getAddress().getPort();
        return r;
    }

    int port() {
        return port;
    }

    /** Where the report client of a set whose repository is on this "server" sends. */
    String serverUrl() {
        return "cairn+http://127.0.0.1:" + port + "/alice/laptop";
    }

    synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    synchronized void restart() throws IOException {
        if (server == null) {
            server = listen(port);
        }
    }

    /** The bodies received so far. */
    List<String> bodies() {
        return received.stream().map(Received::body).toList();
    }

    @Override
    public void close() {
        stop();
    }

    private HttpServer listen(int onPort) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 0);
        s.createContext("/v1/reports", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                received.add(new Received(exchange.getRequestHeaders().getFirst("Authorization"),
                        exchange.getRequestHeaders().getFirst("Content-Type"), body));
            }
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        s.start();
        return s;
    }
}
