package dev.cairn.format;

import dev.cairn.format.codec.ByteWriter;
import dev.cairn.format.codec.Framing;
import dev.cairn.format.crypto.Hpke;
import dev.cairn.format.crypto.KdfParams;
import dev.cairn.format.crypto.KeyMaterial;
import dev.cairn.format.tree.Node;
import dev.cairn.format.tree.NodeType;
import dev.cairn.format.tree.Tree;
import dev.cairn.format.tree.Xattr;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Fixed inputs of the format tests and golden vectors. Every key is a run of consecutive bytes so
 * the vectors can be reproduced by hand or by another implementation. Methods return fresh arrays:
 * some code under test (e.g. {@code KeyMaterial.wipe}) overwrites what it is given.
 */
public final class Fixtures {
    private static final HexFormat HEX = HexFormat.of();

    /** Argon2id parameters cheap enough for unit tests. */
    public static final KdfParams CHEAP_KDF = new KdfParams(8, 1, 1);

    private Fixtures() {}

    /** {@code n} bytes {@code start, start + 1, ...} (wrapping at 256). */
    public static byte[] seq(int start, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (start + i);
        }
        return b;
    }

    public static byte[] hex(String hex) {
        return HEX.parseHex(hex);
    }

    public static String hex(byte[] b) {
        return HEX.formatHex(b);
    }

    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** An id of 32 equal bytes. */
    public static Id id(int fill) {
        byte[] b = new byte[Id.LENGTH];
        Arrays.fill(b, (byte) fill);
        return Id.of(b);
    }

    /** The golden repository's X25519 private key: 0x20..0x3f. */
    public static byte[] privateKey() {
        return seq(0x20, 32);
    }

    public static byte[] publicKey() {
        return Hpke.publicKeyOf(privateKey());
    }

    /** Another repository's private key, for "sealed to someone else" tests. */
    public static byte[] otherPrivateKey() {
        return seq(0xe0, 32);
    }

    /** Dedup (blob id) key: 0x00..0x1f. */
    public static byte[] dedupKey() {
        return seq(0x00, 32);
    }

    /** Index key: 0x40..0x5f. */
    public static byte[] indexKey() {
        return seq(0x40, 32);
    }

    /** A pack's data key: 0x60..0x7f. */
    public static byte[] dataKey() {
        return seq(0x60, 32);
    }

    /** HPKE ephemeral key seed (DeriveKeyPair input): 0x80..0x9f. */
    public static byte[] ephemeralSeed() {
        return seq(0x80, 32);
    }

    /** Chunker seed: 0xc0..0xdf. */
    public static byte[] chunkerSeed() {
        return seq(0xc0, 32);
    }

    /** Config hash: 0xa0..0xbf. */
    public static byte[] configHash() {
        return seq(0xa0, 32);
    }

    /** Full key material built from the fixed keys above. */
    public static KeyMaterial material() {
        return new KeyMaterial(configHash(), dedupKey(), indexKey(), chunkerSeed(), publicKey(), privateKey());
    }

    /** A minimal node of the given type; type-specific fields are filled so it encodes. */
    public static Node node(NodeType type, byte[] name) {
        return new Node(type, name, 0644, 1000, 1000, "alice", "staff",
                new Node.Timestamp(1_700_000_000L, 0), new Node.Timestamp(1_700_000_000L, 0),
                7, 2049, 1, 0, List.of(), type == NodeType.DIRECTORY ? id(0x33) : null,
                type == NodeType.SYMLINK ? ascii("target") : null, 0, List.of(), false);
    }

    public static Node node(NodeType type, String name) {
        return node(type, utf8(name));
    }

    /**
     * The golden tree: one node of every type, extended attributes, a name that is not UTF-8
     * ({@code 66 ff}), uid and gid -1, a time before the epoch, a 10-byte varint.
     */
    public static Tree goldenTree() {
        List<Node> nodes = new ArrayList<>();
        nodes.add(new Node(NodeType.FILE, utf8("file.txt"), 0644, 1000, 1000, "alice", "staff",
                new Node.Timestamp(1_700_000_000L, 123_456_789), new Node.Timestamp(1_700_000_001L, 5),
                42, 2049, 1, 12, List.of(id(0x11), id(0x22)), null, null, 0,
                List.of(new Xattr("user.comment", utf8("hi"))), false));
        nodes.add(new Node(NodeType.DIRECTORY, utf8("dir"), 0755, -1, -1, "", "",
                new Node.Timestamp(-1, 999_999_999), Node.Timestamp.ZERO,
                43, 2049, 2, 0, List.of(), id(0x33), null, 0,
                List.of(new Xattr("user.a", new byte[0]), new Xattr("user.b", new byte[] {0, 1, 2, (byte) 0xff})),
                false));
        nodes.add(new Node(NodeType.SYMLINK, utf8("link"), 0777, 0, 0, "root", "root",
                new Node.Timestamp(1, 2), new Node.Timestamp(3, 4),
                44, 2049, 1, 0, List.of(), null, new byte[] {'.', '.', '/', 't', (byte) 0xfe}, 0,
                List.of(), false));
        nodes.add(new Node(NodeType.FIFO, utf8("fifo"), 0600, 5, 6, "u", "g",
                Node.Timestamp.ZERO, Node.Timestamp.ZERO, 45, 2049, 1, 0, List.of(), null, null, 0,
                List.of(), false));
        nodes.add(new Node(NodeType.CHAR_DEVICE, utf8("tty"), 0620, 0, 5, "root", "tty",
                Node.Timestamp.ZERO, Node.Timestamp.ZERO, 46, 5, 1, 0, List.of(), null, null, 0x0501,
                List.of(), false));
        nodes.add(new Node(NodeType.BLOCK_DEVICE, utf8("sda"), 0660, 0, 6, "root", "disk",
                Node.Timestamp.ZERO, Node.Timestamp.ZERO, 47, 5, 1, 0, List.of(), null, null, 0x0800,
                List.of(), false));
        nodes.add(new Node(NodeType.SOCKET, utf8("sock"), 04755, 1000, 1000, "alice", "staff",
                Node.Timestamp.ZERO, Node.Timestamp.ZERO, 48, 2049, 1, 0, List.of(), null, null, 0,
                List.of(), false));
        nodes.add(new Node(NodeType.FILE, new byte[] {0x66, (byte) 0xff}, 0400, -1, 1 << 20, "", "",
                new Node.Timestamp(Long.MIN_VALUE, 0), new Node.Timestamp(Long.MAX_VALUE, 999_999_999),
                -1L, 0, 1, 1L << 40, List.of(id(0x44)), null, null, 0,
                List.of(new Xattr("user.\u00e9t\u00e9", utf8("\u00e9"))), true));
        return Tree.of(nodes);
    }

    /** A copy with byte {@code pos} inverted. */
    public static byte[] flipped(byte[] b, int pos) {
        byte[] c = b.clone();
        c[pos] ^= (byte) 0xff;
        return c;
    }

    /** Recomputes the CRC-32C footer, so only the structure or authentication can catch a change. */
    public static byte[] withValidCrc(byte[] file) {
        byte[] c = file.clone();
        int end = c.length - Framing.FOOTER_LENGTH;
        byte[] crc = new ByteWriter(4).u32(Framing.crc(c, 0, end)).toByteArray();
        System.arraycopy(crc, 0, c, end, 4);
        return c;
    }

    /** Every position for a small file; a seeded sample of {@code max} positions for a big one. */
    public static int[] positions(int length, int max, long seed) {
        if (length <= max) {
            return java.util.stream.IntStream.range(0, length).toArray();
        }
        SplittableRandom r = new SplittableRandom(seed);
        int[] p = new int[max];
        for (int i = 0; i < max; i++) {
            // Always cover the frame header, the first bytes of the body and the footer.
            p[i] = i < 16 ? i : i < 24 ? length - (i - 15) : r.nextInt(length);
        }
        return p;
    }

    /** Truncation lengths: every length below 64, then a seeded sample up to {@code length - 1}. */
    public static int[] truncations(int length, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        return java.util.stream.IntStream.concat(
                        java.util.stream.IntStream.range(0, Math.min(64, length)),
                        java.util.stream.IntStream.concat(
                                java.util.stream.IntStream.of(length - 1, length - 4, length / 2),
                                r.ints(40, 0, length)))
                .filter(n -> n >= 0 && n < length)
                .distinct()
                .toArray();
    }
}
