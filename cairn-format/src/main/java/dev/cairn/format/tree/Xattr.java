package dev.cairn.format.tree;

/** One extended attribute: its name (e.g. {@code user.comment}) and raw value. */
public record Xattr(String name, byte[] value) {}
