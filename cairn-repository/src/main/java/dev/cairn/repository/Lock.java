package dev.cairn.repository;

import dev.cairn.format.CorruptDataException;
import dev.cairn.format.codec.ByteReader;
import dev.cairn.format.codec.ByteWriter;
import dev.cairn.format.codec.FileType;
import dev.cairn.format.codec.Framing;
import dev.cairn.storage.FileInfo;
import dev.cairn.storage.FileKind;
import dev.cairn.storage.Handle;
import dev.cairn.storage.Payload;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;

/**
 * A lock file: shared for backups and checks (any number at once), exclusive for operations that
 * delete data. Lock files are write-once like everything else; a lock older than
 * {@link #STALE_AFTER} is ignored, so a killed process never blocks the repository for long.
 * Long operations call {@link #refresh()} every few minutes.
 */
public final class Lock implements AutoCloseable {
    public static final Duration STALE_AFTER = Duration.ofMinutes(30);

    /** How often a held lock is renewed; well inside {@link #STALE_AFTER}. */
    static final Duration REFRESH_EVERY = Duration.ofMinutes(5);

    private final Repository repo;
    private final boolean exclusive;
    private Handle handle;
    private java.util.concurrent.ScheduledExecutorService refresher;

    private Lock(Repository repo, boolean exclusive) {
        this.repo = repo;
        this.exclusive = exclusive;
    }

    /** Takes a lock, or fails with {@link RepositoryException.Locked} if a live lock conflicts. */
    public static Lock acquire(Repository repo, boolean exclusive, String holder) throws IOException {
        Lock lock = new Lock(repo, exclusive);
        lock.write(holder);
        String conflict = lock.conflict();
        if (conflict != null) {
            lock.close();
            throw new RepositoryException.Locked(conflict);
        }
        lock.keepAlive(holder);
        return lock;
    }

    /** Renews the lock in the background so a backup of many hours never looks stale. */
    private void keepAlive(String holder) {
        refresher = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cairn-lock-refresh");
            t.setDaemon(true);
            return t;
        });
        long every = REFRESH_EVERY.toMillis();
        refresher.scheduleAtFixedRate(() -> {
            try {
                refresh(holder);
            } catch (IOException e) {
                // The next attempt may succeed; a lock that does go stale only weakens exclusion.
            }
        }, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private void write(String holder) throws IOException {
        ByteWriter w = Framing.header(new ByteWriter(), FileType.LOCK)
                .u8(exclusive ? 1 : 0).u64(repo.clock().millis()).string(holder);
        handle = Handle.of(FileKind.LOCK, Repository.newSlotName());
        repo.backend().put(handle, Payload.of(Framing.finish(w)));
    }

    private String conflict() throws IOException {
        long now = repo.clock().millis();
        for (FileInfo f : repo.backend().list(FileKind.LOCK)) {
            if (f.handle().equals(handle)) {
                continue;
            }
            try {
                byte[] b = repo.backend().readAll(f.handle());
                Framing.verify(b, FileType.LOCK, f.handle().toString());
                ByteReader r = new ByteReader(b, Framing.HEADER_LENGTH, b.length - 12, f.handle().toString());
                boolean other = r.u8() == 1;
                long time = r.u64();
                String holder = r.string(1024);
                if ((other || exclusive) && now - time < STALE_AFTER.toMillis()) {
                    return (other ? "an exclusive" : "a") + " lock is held by " + holder;
                }
            } catch (NoSuchFileException | CorruptDataException gone) {
                // Removed meanwhile, or half-written by a process that died: neither holds anything.
            }
        }
        return null;
    }

    /** Replaces the lock file with a fresh one so it does not go stale. */
    public synchronized void refresh(String holder) throws IOException {
        Handle old = handle;
        write(holder);
        delete(old);
    }

    @Override
    public synchronized void close() throws IOException {
        if (refresher != null) {
            refresher.shutdownNow();
        }
        delete(handle);
    }

    private void delete(Handle h) throws IOException {
        try {
            repo.backend().delete(h);
        } catch (NoSuchFileException alreadyGone) {
            // Someone removed a lock they judged stale; nothing to do.
        }
    }
}
