package dev.cairn.format;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A 32-byte identifier: a blob's keyed hash, or a file's SHA-256. Printed as 64 lowercase hex
 * digits. Immutable.
 */
public final class Id implements Comparable<Id> {
    public static final int LENGTH = 32;
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;

    private Id(byte[] bytes) {
        this.bytes = bytes;
    }

    public static Id of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("an id has 32 bytes, not " + bytes.length);
        }
        return new Id(bytes.clone());
    }

    public static Id of(byte[] bytes, int offset) {
        return new Id(Arrays.copyOfRange(bytes, offset, offset + LENGTH));
    }

    public static Id parse(String hex) {
        if (hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("an id has 64 hex digits: '" + hex + "'");
        }
        return new Id(HEX.parseHex(hex));
    }

    /** SHA-256 of the given bytes: how packs, index files and snapshots are named. */
    public static Id sha256(byte[] data, int offset, int length) {
        MessageDigest md = sha256();
        md.update(data, offset, length);
        return new Id(md.digest());
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public void copyTo(byte[] dest, int offset) {
        System.arraycopy(bytes, 0, dest, offset, LENGTH);
    }

    public String hex() {
        return HEX.formatHex(bytes);
    }

    /** The first 8 hex digits, as shown to people. */
    public String shortHex() {
        return hex().substring(0, 8);
    }

    /** The first 8 bytes as a long, for hashing into tables. */
    public long prefix64() {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (bytes[i] & 0xff);
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Id other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return (bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8 | (bytes[3] & 0xff);
    }

    @Override
    public int compareTo(Id o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
