package dev.cairn.format.chunker;

import java.io.IOException;

/** Receives the chunks found by {@link ChunkStream}, in stream order. */
@FunctionalInterface
public interface ChunkSink {
    /**
     * Called once per chunk. The bytes {@code buf[off, off + len)} are valid only during the call:
     * the buffer is reused, so an implementation that keeps them must copy them.
     */
    void accept(byte[] buf, int off, int len) throws IOException;
}
