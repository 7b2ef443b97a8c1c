package dev.cairn.format.pack;

import dev.cairn.format.Id;

/**
 * Where one blob sits inside its pack.
 *
 * @param offset byte offset of the sealed blob (its nonce) in the pack
 * @param length sealed length: nonce, method byte, stored data, tag
 * @param rawLength plaintext length after decompression
 */
public record BlobEntry(BlobType type, Id id, long offset, int length, int rawLength) {}
