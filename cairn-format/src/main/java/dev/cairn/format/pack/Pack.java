package dev.cairn.format.pack;

import dev.cairn.format.Id;
import java.util.List;

/** A finished pack: its name (SHA-256 of its bytes), its bytes, and the blobs it holds. */
public record Pack(Id id, byte[] bytes, List<BlobEntry> blobs) {}
