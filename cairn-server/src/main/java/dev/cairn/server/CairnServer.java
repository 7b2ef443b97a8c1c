package dev.cairn.server;

import dev.cairn.server.alert.Mailer;
import dev.cairn.server.alert.Postman;
import dev.cairn.server.alert.Webhook;
import dev.cairn.server.auth.Authenticator;
import dev.cairn.server.auth.CredentialHasher;
import dev.cairn.server.catalog.Catalog;
import dev.cairn.server.http.CairnHandler;
import dev.cairn.server.catalog.MonitorCatalog;
import dev.cairn.server.maintenance.Maintenance;
import dev.cairn.server.monitor.Metrics;
import dev.cairn.server.monitor.Monitor;
import dev.cairn.server.monitor.MonitorSettings;
import dev.cairn.server.store.RepoStore;
import dev.cairn.server.tls.ServerCertificate;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Cairn server: the protocol of docs/design.md over HTTPS (or plain HTTP when
 * configured), on one data directory, with maintenance and monitoring on a schedule.
 *
 * <p>{@link #start} holds an exclusive lock on {@code DATA/server.lock} for the server's lifetime,
 * so a second server or an offline {@code maintain} on the same data directory is refused. Before
 * it listens it reconciles the catalog with the repository folders ({@link RepoStore#reconcile}),
 * which repairs what a crash of the previous run left half-recorded. {@link #close} shuts down
 * gracefully: it stops accepting connections, lets requests in flight finish for up to
 * {@link ServerConfig#stopTimeout()}, then aborts the rest. An aborted resumable upload keeps its
 * bytes; nothing is ever half-published.
 */
public final class CairnServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CairnServer.class);

    private final ServerConfig config;
    private final Server jetty;
    private final ServerConnector connector;
    private final String fingerprint;
    private final Admin admin;
    private final Maintenance maintenance;
    private final ScheduledExecutorService scheduler;
    private final ServerLock lock;
    private Monitor monitor;
    private ScheduledExecutorService monitorScheduler;

    private CairnServer(ServerConfig config, Server jetty, ServerConnector connector, String fingerprint, Admin admin,
                        Maintenance maintenance, ScheduledExecutorService scheduler, ServerLock lock) {
        this.config = config;
        this.jetty = jetty;
        this.connector = connector;
        this.fingerprint = fingerprint;
        this.admin = admin;
        this.maintenance = maintenance;
        this.scheduler = scheduler;
        this.lock = lock;
    }

    /** Opens the data directory and starts listening; fails if another server holds it. */
    public static CairnServer start(ServerConfig config) throws IOException {
        Path data = config.dataDir().toAbsolutePath();
        Files.createDirectories(data);
        ServerLock lock = ServerLock.acquire(data);
        try {
            return start(config, data, lock);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static CairnServer start(ServerConfig config, Path data, ServerLock lock) throws IOException {
        Catalog catalog = Catalog.open(data, config.clock());
        RepoStore store = new RepoStore(data, catalog, config.clock());
        // A previous run may have been killed between writing a file and its catalog row; usage,
        // quotas, snapshot commits and collection read the catalog, so repair it before serving.
        RepoStore.ReconcileReport repaired = store.reconcile();
        if (repaired.repaired()) {
            LOG.warn("the previous run stopped abruptly; repaired the catalog: {} file(s) recorded, {} forgotten,"
                    + " {} trash entries settled, {} temporary upload file(s) removed", repaired.filesRecorded(),
                    repaired.filesForgotten(), repaired.trashEntriesSettled(), repaired.tempFilesRemoved());
        }
        repaired.problems().forEach(p -> LOG.warn("{}", p));
        CredentialHasher hasher = new CredentialHasher(config.kdf());
        Authenticator authenticator = new Authenticator(catalog, hasher, config.clock());
        Admin admin = new Admin(catalog, store, hasher, authenticator, config.clock(), false);
        Maintenance maintenance = new Maintenance(catalog, store, config.clock(), config.zone(), config.trashGrace(),
                config.gcGrace());
        ScheduledExecutorService monitorScheduler = monitorScheduler(config.monitoring());
        Monitor monitor;
        try {
            monitor = monitor(config, data, catalog, monitorScheduler);
        } catch (IOException | RuntimeException e) {
            if (monitorScheduler != null) {
                monitorScheduler.shutdownNow();
            }
            throw e;
        }
        Metrics metrics = new Metrics(catalog, new MonitorCatalog(catalog), monitor);

        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("cairn-http");
        Server jetty = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        // Names are checked by the handler on the raw path, so every odd path gets a Cairn error.
        http.setUriCompliance(UriCompliance.UNSAFE);
        String fingerprint = null;
        ServerConnector connector;
        if (config.insecureHttp()) {
            connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
        } else {
            ServerCertificate certificate = config.tlsCertificatePem() != null
                    ? ServerCertificate.fromPem(config.tlsCertificatePem(), config.tlsKeyPem())
                    : ServerCertificate.loadOrCreate(data, ServerCertificate.defaultHostNames(config.listenHost()),
                            config.clock());
            fingerprint = certificate.fingerprint();
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStore(certificate.keyStore());
            ssl.setKeyStorePassword(certificate.keyStorePassword());
            ssl.setSniRequired(false);
            // Self-signed certificates are reached by IP address and pinned by fingerprint.
            http.addCustomizer(new SecureRequestCustomizer(false, false, -1, false));
            connector = new ServerConnector(jetty, new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
                    new HttpConnectionFactory(http));
        }
        connector.setHost(config.listenHost());
        connector.setPort(config.port());
        jetty.addConnector(connector);
        jetty.setHandler(new GracefulHandler(new CairnHandler(authenticator, store, catalog, config.maxRequestBody(),
                monitor, metrics)));
        jetty.setStopTimeout(config.stopTimeout().toMillis());
        jetty.setStopAtShutdown(false); // the command line owns shutdown hooks
        try {
            jetty.start();
        } catch (IOException e) {
            shutdown(monitorScheduler);
            throw new IOException("cannot listen on " + config.listenHost() + ":" + config.port() + ": " + e.getMessage(), e);
        } catch (Exception e) {
            shutdown(monitorScheduler);
            throw new IOException("the server failed to start: " + e.getMessage(), e);
        }
        ScheduledExecutorService scheduler = null;
        CairnServer server = null;
        if (!config.maintenanceInterval().isZero()) {
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "cairn-maintenance");
                t.setDaemon(true);
                return t;
            });
        }
        server = new CairnServer(config, jetty, connector, fingerprint, admin, maintenance, scheduler, lock);
        server.monitor = monitor;
        server.monitorScheduler = monitorScheduler;
        if (monitorScheduler != null) {
            long every = config.monitoring().monitorInterval().toMillis();
            monitorScheduler.scheduleWithFixedDelay(monitor::scheduledTick, every, every, TimeUnit.MILLISECONDS);
        }
        if (scheduler != null) {
            CairnServer s = server;
            long every = config.maintenanceInterval().toMillis();
            scheduler.scheduleWithFixedDelay(s::scheduledMaintenance, every, every, TimeUnit.MILLISECONDS);
        }
        LOG.info("listening on {} ({})", server.baseUri(), config.insecureHttp() ? "plain HTTP" : "HTTPS");
        return server;
    }

    /** One thread for monitoring ticks (scheduled, and early ones after reports); null when on demand only. */
    private static ScheduledExecutorService monitorScheduler(MonitorSettings settings) {
        if (settings.monitorInterval().isZero()) {
            return null;
        }
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cairn-monitor");
            t.setDaemon(true);
            return t;
        });
    }

    private static Monitor monitor(ServerConfig config, Path data, Catalog catalog, ScheduledExecutorService scheduler)
            throws IOException {
        MonitorSettings m = config.monitoring();
        Mailer mailer = null;
        if (m.emailEnabled()) {
            mailer = new Mailer(m.smtpHost(), m.effectiveSmtpPort(), m.smtpSecurity(), m.smtpUser(),
                    m.smtpPasswordFile(), m.mailFrom(), config.clock());
        } else if (m.adminEmail() != null) {
            LOG.warn("admin-email is set but smtp-host is not: no email will be sent");
        }
        MonitorCatalog monitorCatalog = new MonitorCatalog(catalog);
        Postman postman = new Postman(monitorCatalog, mailer, new Webhook(), config.clock());
        return new Monitor(catalog, monitorCatalog, m, config.clock(), config.zone(), data, postman, scheduler);
    }

    private static void shutdown(ScheduledExecutorService scheduler) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    private void scheduledMaintenance() {
        try {
            runMaintenance();
        } catch (RuntimeException e) {
            LOG.error("scheduled maintenance failed", e);
        }
    }

    /** True if a server is running on that data directory (it holds {@code DATA/server.lock}). */
    public static boolean isRunning(Path dataDir) throws IOException {
        return ServerLock.held(dataDir.toAbsolutePath());
    }

    /**
     * Takes the data directory's server lock for offline work (maintain, reindex), so no server
     * starts meanwhile; fails with a message if a server is running on it.
     */
    public static AutoCloseable lockForOfflineWork(Path dataDir) throws IOException {
        Path data = dataDir.toAbsolutePath();
        Files.createDirectories(data);
        return ServerLock.acquire(data);
    }

    /** Where clients reach the server, e.g. {@code https://127.0.0.1:8443}. */
    public URI baseUri() {
        String host = config.listenHost();
        if (host.equals("0.0.0.0") || host.equals("::") || host.isEmpty()) {
            host = "127.0.0.1";
        }
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create((config.insecureHttp() ? "http" : "https") + "://" + host + ":" + port());
    }

    /** The port actually listened on (the chosen one when configured with 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** The certificate's SHA-256 fingerprint as 64 lowercase hex digits; null over plain HTTP. */
    public String fingerprint() {
        return fingerprint;
    }

    /** Administration of this server's data directory, acting on the running server. */
    public Admin admin() {
        return admin;
    }

    /** The monitor: run reports, incidents, alerts and daily reports (docs/design.md, "Reports and monitoring"). */
    public Monitor monitor() {
        return monitor;
    }

    /** Runs one maintenance pass now (also what the schedule runs); passes never overlap. */
    public synchronized Maintenance.Report runMaintenance() {
        return maintenance.run();
    }

    /** Graceful shutdown; see the class description. Idempotent. */
    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        shutdown(monitorScheduler);
        try {
            jetty.stop();
        } catch (Exception e) {
            // Typically the stop timeout: requests still running were cut off (resumable uploads keep their bytes).
            LOG.warn("shutdown did not finish cleanly ({}); requests still in flight were cut off", e.toString());
        } finally {
            lock.close();
        }
    }

    /** The exclusive lock on {@code DATA/server.lock} that marks a data directory as served. */
    static final class ServerLock implements AutoCloseable {
        private final FileChannel channel;
        private final FileLock lock;

        private ServerLock(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        static Path file(Path dataDir) {
            return dataDir.resolve("server.lock");
        }

        /** Takes the lock, or fails saying that a server runs on this data directory. */
        static ServerLock acquire(Path dataDir) throws IOException {
            FileChannel channel = FileChannel.open(file(dataDir), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new IOException("a Cairn server is already running on " + dataDir + " (it holds "
                        + file(dataDir) + "); stop it first, or use its own commands");
            }
            return new ServerLock(channel, lock);
        }

        /** True if a server currently holds the lock of that data directory. */
        static boolean held(Path dataDir) throws IOException {
            if (!Files.exists(file(dataDir))) {
                return false;
            }
            ServerLock probe;
            try {
                probe = acquire(dataDir);
            } catch (IOException e) {
                return true;
            }
            probe.close();
            return false;
        }

        @Override
        public void close() {
            try {
                if (lock.isValid()) {
                    lock.release();
                }
                channel.close();
            } catch (IOException e) {
                // The lock dies with the channel or the process anyway.
            }
        }
    }
}
