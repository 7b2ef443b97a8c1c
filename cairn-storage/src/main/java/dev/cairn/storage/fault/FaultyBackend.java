package dev.cairn.storage.fault;

import dev.cairn.storage.Backend;
import dev.cairn.storage.FileInfo;
import dev.cairn.storage.FileKind;
import dev.cairn.storage.Handle;
import dev.cairn.storage.Payload;
import dev.cairn.storage.TransientIOException;
import java.io.IOException;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Wraps a {@link Backend} and injects faults on demand, for tests of code that must survive a
 * misbehaving backend. Without faults it behaves exactly like the backend it wraps.
 *
 * <p>An injected failure is thrown before the call reaches the wrapped backend, so a failed call
 * changes nothing; the exception is {@link #putThenFail}, which stores the file and then fails,
 * like an upload whose acknowledgement was lost. Faults stay in force until {@link #clear()},
 * except those from {@link #failNext}, which are used up. Every call is counted, failed or not.
 *
 * <p>All methods are thread-safe, and faults may be changed while other threads use the backend.
 */
public final class FaultyBackend implements Backend {
    /** The backend operations faults can target. */
    public enum Op { PUT, READ, STAT, LIST, DELETE }

    /**
     * One call made to the backend: its operation, the kind of file it concerns, and the handle,
     * which is {@code null} only for {@link Op#LIST}.
     */
    public record Call(Op op, FileKind kind, Handle handle) {
        public Call {
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(kind, "kind");
            if ((handle == null) != (op == Op.LIST) || handle != null && handle.kind() != kind) {
                throw new IllegalArgumentException("a " + op + " call of kind " + kind
                        + " cannot have handle " + handle);
            }
        }

        static Call of(Op op, Handle handle) {
            return new Call(op, handle.kind(), handle);
        }
    }

    private record Rule(Predicate<? super Call> when, Supplier<? extends IOException> error) {}

    private final Backend inner;
    private final Map<Op, AtomicInteger> calls = new EnumMap<>(Op.class);
    private final Map<Op, Queue<Supplier<? extends IOException>>> next = new EnumMap<>(Op.class);
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<Predicate<? super Handle>> lostAcknowledgements = new CopyOnWriteArrayList<>();
    private final Map<Handle, Set<Long>> corruptions = new ConcurrentHashMap<>();

    /** Wraps {@code inner}, initially without faults. */
    public FaultyBackend(Backend inner) {
        this.inner = Objects.requireNonNull(inner, "inner");
        // Both maps are filled here and never restructured, so sharing them between threads is safe.
        for (Op op : Op.values()) {
            calls.put(op, new AtomicInteger());
            next.put(op, new ConcurrentLinkedQueue<>());
        }
    }

    /** Makes the next {@code times} calls of {@code op} fail, each with a fresh {@code error}. */
    public void failNext(Op op, int times, Supplier<? extends IOException> error) {
        Objects.requireNonNull(error, "error");
        if (times < 0) {
            throw new IllegalArgumentException("negative times: " + times);
        }
        Queue<Supplier<? extends IOException>> queue = next.get(Objects.requireNonNull(op, "op"));
        for (int i = 0; i < times; i++) {
            queue.add(error);
        }
    }

    /**
     * Makes every call matching {@code when} fail with a fresh {@code error}. The predicate is
     * tested once per call and may keep state, for example to fail every other call.
     */
    public void failWhen(Predicate<? super Call> when, Supplier<? extends IOException> error) {
        rules.add(new Rule(Objects.requireNonNull(when, "when"), Objects.requireNonNull(error, "error")));
    }

    /**
     * Flips the lowest bit of the byte at {@code offset} of {@code handle}'s file in whatever reads
     * return; the stored file is untouched. Reads not covering the offset are unaffected.
     */
    public void corruptReads(Handle handle, long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset: " + offset);
        }
        corruptions.computeIfAbsent(Objects.requireNonNull(handle, "handle"),
                h -> ConcurrentHashMap.newKeySet()).add(offset);
    }

    /**
     * Makes every put of a handle matching {@code which} store its file and then throw a
     * {@link TransientIOException}, as if the acknowledgement had been lost on the way back.
     */
    public void putThenFail(Predicate<? super Handle> which) {
        lostAcknowledgements.add(Objects.requireNonNull(which, "which"));
    }

    /** Removes every fault; call counts are kept. */
    public void clear() {
        next.values().forEach(Collection::clear);
        rules.clear();
        lostAcknowledgements.clear();
        corruptions.clear();
    }

    /** How many calls of {@code op} were made so far, including those that failed. */
    public int calls(Op op) {
        return calls.get(Objects.requireNonNull(op, "op")).get();
    }

    @Override
    public String location() {
        return inner.location();
    }

    @Override
    public void put(Handle handle, Payload payload) throws IOException {
        enter(Call.of(Op.PUT, handle));
        inner.put(handle, payload);
        for (Predicate<? super Handle> which : lostAcknowledgements) {
            if (which.test(handle)) {
                throw new TransientIOException(handle + " was stored but the acknowledgement was"
                        + " lost (injected fault)");
            }
        }
    }

    @Override
    public void read(Handle handle, long offset, long length, ReadConsumer consumer)
            throws IOException {
        enter(Call.of(Op.READ, handle));
        long[] flips = flipsFor(handle);
        if (flips.length == 0) {
            inner.read(handle, offset, length, consumer);
        } else {
            inner.read(handle, offset, length,
                    in -> consumer.accept(new BitFlippingInputStream(in, offset, flips)));
        }
    }

    @Override
    public FileInfo stat(Handle handle) throws IOException {
        enter(Call.of(Op.STAT, handle));
        return inner.stat(handle);
    }

    @Override
    public List<FileInfo> list(FileKind kind) throws IOException {
        enter(new Call(Op.LIST, kind, null));
        return inner.list(kind);
    }

    @Override
    public void delete(Handle handle) throws IOException {
        enter(Call.of(Op.DELETE, handle));
        inner.delete(handle);
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }

    @Override
    public String toString() {
        return "FaultyBackend[" + inner + "]";
    }

    /** Counts a call and throws the fault injected for it, if any. */
    private void enter(Call call) throws IOException {
        calls.get(call.op()).incrementAndGet();
        Supplier<? extends IOException> error = next.get(call.op()).poll();
        for (int i = 0; error == null && i < rules.size(); i++) {
            Rule rule = rules.get(i);
            if (rule.when().test(call)) {
                error = rule.error();
            }
        }
        if (error != null) {
            throw Objects.requireNonNull(error.get(), "error supplier returned null");
        }
    }

    private long[] flipsFor(Handle handle) {
        Set<Long> offsets = corruptions.get(handle);
        return offsets == null ? new long[0]
                : offsets.stream().mapToLong(Long::longValue).sorted().toArray();
    }
}
