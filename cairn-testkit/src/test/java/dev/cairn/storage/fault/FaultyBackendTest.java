package dev.cairn.storage.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.storage.FileKind;
import dev.cairn.storage.Handle;
import dev.cairn.storage.Payload;
import dev.cairn.storage.TransientIOException;
import dev.cairn.storage.fault.FaultyBackend.Call;
import dev.cairn.storage.fault.FaultyBackend.Op;
import dev.cairn.storage.memory.MemoryBackend;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FaultyBackendTest {
    private static final Handle PACK = Handle.of(FileKind.PACK, "ab12");
    private static final Handle INDEX = Handle.of(FileKind.INDEX, "cd34");

    private final MemoryBackend memory = new MemoryBackend();
    private final FaultyBackend faulty = new FaultyBackend(memory);

    @Test
    void corruptReads_flipsExactlyOneBit() throws IOException {
        byte[] bytes = randomBytes(5000);
        memory.put(PACK, Payload.of(bytes));

        faulty.corruptReads(PACK, 1234);
        byte[] read = faulty.readAll(PACK);

        assertThat(differingBits(read, bytes)).isEqualTo(1);
        assertThat(read[1234]).isNotEqualTo(bytes[1234]);
        assertThat(memory.readAll(PACK)).isEqualTo(bytes);
    }

    @Test
    void corruptReads_appliesAtFileOffsetWithinRanges() throws IOException {
        byte[] bytes = randomBytes(5000);
        memory.put(PACK, Payload.of(bytes));
        faulty.corruptReads(PACK, 1234);

        byte[] covering = faulty.readRange(PACK, 1000, 500);
        byte[] before = faulty.readRange(PACK, 0, 1234);
        byte[] after = faulty.readRange(PACK, 1235, 0);

        assertThat(Arrays.mismatch(covering, Arrays.copyOfRange(bytes, 1000, 1500))).isEqualTo(234);
        assertThat(differingBits(covering, Arrays.copyOfRange(bytes, 1000, 1500))).isEqualTo(1);
        assertThat(before).isEqualTo(Arrays.copyOfRange(bytes, 0, 1234));
        assertThat(after).isEqualTo(Arrays.copyOfRange(bytes, 1235, 5000));
    }

    @Test
    void corruptReads_byteByByteReads_areCorruptedToo() throws IOException {
        byte[] bytes = randomBytes(100);
        memory.put(PACK, Payload.of(bytes));
        faulty.corruptReads(PACK, 7);
        byte[] read = new byte[100];

        faulty.read(PACK, 0, 0, in -> {
            for (int i = 0; i < read.length; i++) {
                read[i] = (byte) in.read();
            }
        });

        assertThat(differingBits(read, bytes)).isEqualTo(1);
        assertThat(Arrays.mismatch(read, bytes)).isEqualTo(7);
    }

    @Test
    void failNext_failsThatManyCallsWithoutReachingTheBackend() throws IOException {
        faulty.failNext(Op.PUT, 2, () -> new TransientIOException("timeout"));

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> faulty.put(PACK, Payload.of(new byte[1])))
                    .isInstanceOf(TransientIOException.class);
            assertThat(memory.exists(PACK)).isFalse();
        }
        faulty.put(PACK, Payload.of(new byte[1]));

        assertThat(memory.exists(PACK)).isTrue();
        assertThat(faulty.calls(Op.PUT)).isEqualTo(3);
    }

    @Test
    void failWhen_failsOnlyMatchingCalls() throws IOException {
        memory.put(PACK, Payload.of(new byte[3]));
        memory.put(INDEX, Payload.of(new byte[4]));
        faulty.failWhen(call -> call.kind() == FileKind.PACK, () -> new IOException("bad sector"));

        assertThatThrownBy(() -> faulty.stat(PACK)).hasMessage("bad sector");
        assertThatThrownBy(() -> faulty.list(FileKind.PACK)).hasMessage("bad sector");
        assertThat(faulty.stat(INDEX).size()).isEqualTo(4);
        assertThat(faulty.list(FileKind.INDEX)).hasSize(1);
    }

    @Test
    void failWhen_seesTheCall() {
        faulty.failWhen(call -> call.equals(new Call(Op.DELETE, FileKind.INDEX, INDEX)),
                () -> new IOException("no"));

        assertThatThrownBy(() -> faulty.delete(INDEX)).hasMessage("no");
        assertThatThrownBy(() -> faulty.delete(PACK)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void putThenFail_storesTheFileAndThrowsTransient() throws IOException {
        faulty.putThenFail(handle -> handle.kind() == FileKind.PACK);

        assertThatThrownBy(() -> faulty.put(PACK, Payload.of(new byte[] {42})))
                .isInstanceOf(TransientIOException.class);
        faulty.put(INDEX, Payload.of(new byte[] {43}));

        assertThat(memory.readAll(PACK)).containsExactly(42);
        assertThat(memory.readAll(INDEX)).containsExactly(43);
    }

    @Test
    void clear_removesFaultsButKeepsCounts() throws IOException {
        memory.put(PACK, Payload.of(new byte[] {1, 2}));
        faulty.failNext(Op.STAT, 5, () -> new IOException("next"));
        faulty.failWhen(call -> true, () -> new IOException("always"));
        faulty.putThenFail(handle -> true);
        faulty.corruptReads(PACK, 0);
        assertThatThrownBy(() -> faulty.stat(PACK)).hasMessage("next");

        faulty.clear();

        assertThat(faulty.stat(PACK).size()).isEqualTo(2);
        assertThat(faulty.readAll(PACK)).containsExactly(1, 2);
        faulty.put(INDEX, Payload.of(new byte[1]));
        assertThat(faulty.calls(Op.STAT)).isEqualTo(2);
    }

    @Test
    void calls_areCountedPerOperation() throws IOException {
        faulty.put(PACK, Payload.of(new byte[1]));
        faulty.readAll(PACK);
        faulty.exists(PACK);
        faulty.exists(INDEX);
        faulty.list(FileKind.PACK);
        faulty.delete(PACK);

        assertThat(faulty.calls(Op.PUT)).isEqualTo(1);
        assertThat(faulty.calls(Op.READ)).isEqualTo(1);
        assertThat(faulty.calls(Op.STAT)).isEqualTo(2);
        assertThat(faulty.calls(Op.LIST)).isEqualTo(1);
        assertThat(faulty.calls(Op.DELETE)).isEqualTo(1);
    }

    @Test
    void call_rejectsInconsistentFields() {
        assertThatThrownBy(() -> new Call(Op.READ, FileKind.PACK, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Call(Op.READ, FileKind.INDEX, PACK))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Call(Op.LIST, FileKind.PACK, PACK))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }

    private static int differingBits(byte[] a, byte[] b) {
        assertThat(a).hasSameSizeAs(b);
        int bits = 0;
        for (int i = 0; i < a.length; i++) {
            bits += Integer.bitCount((a[i] ^ b[i]) & 0xff);
        }
        return bits;
    }
}
