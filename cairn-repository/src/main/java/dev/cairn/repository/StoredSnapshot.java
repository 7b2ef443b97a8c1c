package dev.cairn.repository;

import dev.cairn.format.Id;
import dev.cairn.format.snapshot.Envelope;
import dev.cairn.format.snapshot.Snapshot;

/** A snapshot as stored: its id, its envelope, and its sealed part (null for a write-only key). */
public record StoredSnapshot(Id id, Envelope envelope, Snapshot snapshot) {}
