package dev.cairn.format.pack;

import dev.cairn.format.Id;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A finished pack: its name (SHA-256 of its bytes), its bytes, and the blobs it holds.
 *
 * <p>The bytes are the first {@code size} bytes of {@code buffer}, the writer's own array: a pack
 * is 16 MiB and more, so it is stored from there rather than copied, and the buffer can be handed
 * to the next writer once the pack is stored.
 */
public record Pack(Id id, byte[] buffer, int size, List<BlobEntry> blobs) {
    public Pack {
        Objects.requireNonNull(id, "id");
        Objects.checkFromIndexSize(0, size, buffer.length);
        blobs = List.copyOf(blobs);
    }

    /** A copy of exactly the pack's bytes. */
    public byte[] bytes() {
        return Arrays.copyOf(buffer, size);
    }

    /** Streams the pack's bytes without copying them. */
    public InputStream open() {
        return new ByteArrayInputStream(buffer, 0, size);
    }
}
