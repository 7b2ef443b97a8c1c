package dev.cairn.storage;

/** What a backend knows about one stored file: its handle and its size in bytes. */
public record FileInfo(Handle handle, long size) {}
