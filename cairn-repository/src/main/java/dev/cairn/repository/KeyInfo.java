package dev.cairn.repository;

import dev.cairn.format.crypto.KdfParams;
import dev.cairn.format.crypto.KeySlot;

/** A key slot as {@code key list} shows it; {@code current} marks the slot in use. */
public record KeyInfo(String name, KeySlot.Kind kind, long createdMillis, String label, KdfParams kdf, boolean current) {}
