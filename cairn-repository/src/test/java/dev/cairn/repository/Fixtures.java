package dev.cairn.repository;

import dev.cairn.format.Id;
import dev.cairn.format.compress.Compression;
import dev.cairn.format.pack.BlobType;
import dev.cairn.format.snapshot.BackupMode;
import dev.cairn.format.snapshot.Envelope;
import dev.cairn.format.snapshot.Snapshot;
import dev.cairn.format.tree.Node;
import dev.cairn.format.tree.NodeType;
import dev.cairn.format.tree.Tree;
import dev.cairn.storage.Backend;
import dev.cairn.storage.FileInfo;
import dev.cairn.storage.FileKind;
import dev.cairn.storage.Handle;
import dev.cairn.storage.Payload;
import dev.cairn.storage.memory.MemoryBackend;
import dev.cairn.testkit.FakeClock;
import dev.cairn.testkit.TestKdf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/** Shared helpers for the repository tests: repositories, blobs, trees and snapshots. */
final class Fixtures {
    static final char[] PASSWORD = "correct horse battery staple".toCharArray();
    static final Instant START = Instant.parse("2025-03-01T10:00:00Z");
    static final String HOST = "laptop";
    static final int LEVEL = Compression.DEFAULT_LEVEL;

    private Fixtures() {}

    static FakeClock clock() {
        return new FakeClock(START);
    }

    static Repository init(Backend backend, Clock clock) throws IOException {
        return Repository.init(backend, PASSWORD, TestKdf.CHEAP, "test@" + HOST, clock);
    }

    static Repository open(Backend backend, Clock clock) throws IOException {
        return Repository.open(backend, PASSWORD, clock);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Incompressible bytes, the same for the same seed. */
    static byte[] random(long seed, int length) {
        byte[] b = new byte[length];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < length; i += 8) {
            long v = r.nextLong();
            for (int j = 0; j < 8 && i + j < length; j++) {
                b[i + j] = (byte) (v >>> (8 * j));
            }
        }
        return b;
    }

    static Id saveData(BlobSaver saver, Repository repo, byte[] data) throws IOException {
        Id id = repo.blobIds().of(data);
        saver.save(BlobType.DATA, id, data, 0, data.length);
        return id;
    }

    static Id saveTree(BlobSaver saver, Repository repo, Tree tree) throws IOException {
        byte[] bytes = tree.encode();
        Id id = repo.blobIds().of(bytes);
        saver.save(BlobType.TREE, id, bytes, 0, bytes.length);
        return id;
    }

    static Node file(String name, long size, List<Id> content) {
        return new Node(NodeType.FILE, utf8(name), 0644, 1000, 1000, "alice", "staff", Node.Timestamp.ZERO,
                Node.Timestamp.ZERO, 0, 0, 1, size, content, null, null, 0, List.of(), false);
    }

    static Node dir(String name, Id subtree) {
        return new Node(NodeType.DIRECTORY, utf8(name), 0755, 1000, 1000, "alice", "staff", Node.Timestamp.ZERO,
                Node.Timestamp.ZERO, 0, 0, 2, 0, List.of(), subtree, null, 0, List.of(), false);
    }

    /** The packs holding the given blobs, sorted, each once: what an envelope names. */
    static List<Id> packsOf(Repository repo, Collection<Id> blobs) {
        Set<Id> packs = new TreeSet<>();
        for (Id b : blobs) {
            BlobLocation loc = repo.index().lookup(b);
            if (loc == null) {
                throw new IllegalStateException("blob " + b.shortHex() + " is not indexed");
            }
            packs.add(loc.pack());
        }
        return List.copyOf(packs);
    }

    /** Stores a snapshot of {@code /src} whose envelope names exactly {@code packs}. */
    static Id saveSnapshot(Repository repo, Id tree, long timeMillis, List<Id> packs) throws IOException {
        List<byte[]> paths = List.of(utf8("/src"));
        Envelope env = new Envelope(timeMillis, HOST, repo.groupId(HOST, paths), BackupMode.FULL, packs);
        Snapshot snap = new Snapshot(tree, paths, HOST, "alice", List.of(), null, timeMillis + 1000,
                Snapshot.Summary.EMPTY, List.of(), List.of());
        return repo.saveSnapshot(env, snap);
    }

    static List<Id> names(Backend backend, FileKind kind) throws IOException {
        List<Id> out = new ArrayList<>();
        for (FileInfo f : backend.list(kind)) {
            out.add(Id.parse(f.handle().name()));
        }
        return out;
    }

    /** A fresh backend holding a copy of every file of {@code source}. */
    static MemoryBackend copy(Backend source) throws IOException {
        MemoryBackend out = new MemoryBackend();
        for (FileKind kind : FileKind.values()) {
            for (FileInfo f : source.list(kind)) {
                out.put(f.handle(), Payload.of(source.readAll(f.handle())));
            }
        }
        return out;
    }

    static Handle pack(Id id) {
        return Handle.of(FileKind.PACK, id.hex());
    }

    /** Replaces a stored file by a changed copy of its bytes (delete, then put: files are write-once). */
    static void rewrite(Backend backend, Handle handle, UnaryOperator<byte[]> change) throws IOException {
        byte[] bytes = backend.readAll(handle);
        backend.delete(handle);
        backend.put(handle, Payload.of(change.apply(bytes)));
    }

    static UnaryOperator<byte[]> flipBit(long offset) {
        return b -> {
            byte[] c = b.clone();
            c[(int) offset] ^= 1;
            return c;
        };
    }

    static UnaryOperator<byte[]> truncate(int length) {
        return b -> java.util.Arrays.copyOf(b, length);
    }
}
