package dev.cairn.repository;

import dev.cairn.format.Id;
import dev.cairn.format.pack.BlobEntry;

/** Where a blob is stored: its pack and its place inside it. */
public record BlobLocation(Id pack, BlobEntry entry) {}
