package dev.cairn.testkit;

import dev.cairn.format.Id;
import dev.cairn.format.snapshot.SnapshotFile;
import dev.cairn.storage.Backend;
import dev.cairn.storage.ForwardingBackend;
import dev.cairn.storage.FileKind;
import dev.cairn.storage.Handle;
import dev.cairn.storage.Payload;
import dev.cairn.storage.memory.MemoryBackend;
import java.io.IOException;
import java.io.InputStream;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The contract over a memory backend that, like a Cairn server, refuses files a repository could
 * not hold: so the suite itself is held to storing only such files, without needing a server.
 * A refusal is an {@link AssertionError}, which no test mistakes for an expected failure.
 */
class ServerRulesContractTest extends BackendContract {
    @Override
    protected Backend newBackend() {
        return new ServerRules(new MemoryBackend());
    }

    /** Checks each put against the server's rules, then hands it on. */
    private static final class ServerRules extends ForwardingBackend {
        private static final Set<FileKind> CONTENT_ADDRESSED = EnumSet.of(
                FileKind.PACK, FileKind.INDEX, FileKind.SNAPSHOT, FileKind.MARK, FileKind.POLICY);

        ServerRules(Backend inner) {
            super(inner);
        }

        @Override
        public void put(Handle handle, Payload payload) throws IOException {
            byte[] bytes;
            try (InputStream in = payload.open()) {
                bytes = in.readAllBytes();
            }
            if (CONTENT_ADDRESSED.contains(handle.kind())) {
                String digest = Id.sha256(bytes, 0, bytes.length).hex();
                if (!digest.equals(handle.name())) {
                    throw new AssertionError("bad-digest: " + handle + " holds bytes with SHA-256 " + digest);
                }
            }
            if (handle.kind() == FileKind.SNAPSHOT) {
                List<Id> packs;
                try {
                    packs = SnapshotFile.envelope(bytes, handle.toString()).packs();
                } catch (IOException e) {
                    throw new AssertionError("bad-request: " + handle + " is no snapshot file", e);
                }
                for (Id pack : packs) {
                    if (!delegate.exists(Handle.of(FileKind.PACK, pack.hex()))) {
                        throw new AssertionError("missing-packs: " + handle + " names pack " + pack);
                    }
                }
            }
            delegate.put(handle, Payload.of(bytes));
        }

    }
}
