package dev.cairn.format.tree;

import static dev.cairn.format.Fixtures.dedupKey;
import static dev.cairn.format.Fixtures.hex;
import static dev.cairn.format.Fixtures.id;
import static dev.cairn.format.Fixtures.node;
import static dev.cairn.format.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cairn.format.CorruptDataException;
import dev.cairn.format.Fixtures;
import dev.cairn.format.Id;
import dev.cairn.format.codec.ByteWriter;
import dev.cairn.format.crypto.BlobIds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TreeTest {

    /**
     * Encoding of {@link Fixtures#goldenTree()}: every node type, xattrs, the non-UTF-8 name
     * {@code 66 ff}, uid -1, times at Long.MIN_VALUE and Long.MAX_VALUE. Reproduced by a Python
     * encoder written from the layout. Never change it: tree ids, and so deduplication of every
     * directory, depend on these bytes.
     */
    static final String GOLDEN =
            "01080203646972ed030101000001ff93ebdc0300002b81100200003333333333"
            + "3333333333333333333333333333333333333333333333333333330206757365"
            + "722e610006757365722e6204000102ff04046669666f80030a0c017501670000"
            + "00002d811001000000010866696c652e747874a403d00fd00f05616c69636505"
            + "737461666680c49fd50c959aef3a82c49fd50c052a8110010c00021111111111"
            + "1111111111111111111111111111111111111111111111111111112222222222"
            + "222222222222222222222222222222222222222222222222222222010c757365"
            + "722e636f6d6d656e74026869010266ff800201808080010000ffffffffffffff"
            + "ffff0100feffffffffffffffff01ff93ebdc03ffffffffffffffffff01000180"
            + "8080808020010144444444444444444444444444444444444444444444444444"
            + "44444444444444010a757365722ec3a974c3a902c3a903046c696e6bff030000"
            + "04726f6f7404726f6f74020206042c8110010000052e2e2f74fe000603736461"
            + "b003000c04726f6f74046469736b000000002f050100008010000704736f636b"
            + "ed13d00fd00f05616c6963650573746166660000000030811001000000050374"
            + "74799003000a04726f6f7403747479000000002e05010000810a00";

    /** HMAC-SHA-256 of {@link #GOLDEN} under the dedup key 0x00..0x1f: the tree's blob id. */
    static final String GOLDEN_ID = "ce48d4baeea219b86a9dec4f616f235d41ad839327faeb1427d71d3c09055566";

    private static Tree roundTrip(Tree t) throws CorruptDataException {
        Tree back = Tree.decode(t.encode(), "tree");
        assertThat(back.nodes()).hasSameSizeAs(t.nodes());
        // node by node: one recursive comparison of a huge tree is quadratic in AssertJ
        for (int i = 0; i < t.nodes().size(); i++) {
            assertThat(back.nodes().get(i)).usingRecursiveComparison().isEqualTo(t.nodes().get(i));
        }
        assertThat(back.encode()).isEqualTo(t.encode());
        return back;
    }

    @Test
    void encode_goldenTree() {
        assertThat(hex(Fixtures.goldenTree().encode())).isEqualTo(GOLDEN);
    }

    @Test
    void blobId_goldenTree() {
        assertThat(new BlobIds(dedupKey()).of(Fixtures.goldenTree().encode()).hex()).isEqualTo(GOLDEN_ID);
    }

    @Test
    void decode_goldenTree_everyFieldSurvives() throws Exception {
        Tree t = Tree.decode(hex(GOLDEN), "golden");
        assertThat(t).usingRecursiveComparison().isEqualTo(Fixtures.goldenTree());
        assertThat(t.nodes()).extracting(Node::displayName).containsExactly(
                "dir", "fifo", "file.txt", "f\ufffd", "link", "sda", "sock", "tty");
        Node odd = t.nodes().get(3);
        assertThat(odd.name()).containsExactly(0x66, 0xff);
        assertThat(odd.uid()).isEqualTo(-1);
        assertThat(odd.gid()).isEqualTo(1 << 20);
        assertThat(odd.inode()).isEqualTo(-1L);
        assertThat(odd.mtime()).isEqualTo(new Node.Timestamp(Long.MIN_VALUE, 0));
        assertThat(odd.ctime()).isEqualTo(new Node.Timestamp(Long.MAX_VALUE, 999_999_999));
        assertThat(odd.changedDuringBackup()).isTrue();
        assertThat(odd.xattrs()).singleElement().satisfies(x -> {
            assertThat(x.name()).isEqualTo("user.\u00e9t\u00e9");
            assertThat(x.value()).isEqualTo(utf8("\u00e9"));
        });
        Node dir = t.nodes().get(0);
        assertThat(dir.isDirectory()).isTrue();
        assertThat(dir.subtree()).isEqualTo(id(0x33));
        assertThat(dir.mtime()).isEqualTo(new Node.Timestamp(-1, 999_999_999));
        assertThat(dir.xattrs()).extracting(Xattr::name).containsExactly("user.a", "user.b");
        assertThat(t.nodes().get(4).linkTarget()).containsExactly('.', '.', '/', 't', 0xfe);
        assertThat(t.nodes().get(5).rdev()).isEqualTo(0x0800);
        assertThat(t.nodes().get(7).rdev()).isEqualTo(0x0501);
        assertThat(t.nodes().get(2).content()).containsExactly(id(0x11), id(0x22));
    }

    @ParameterizedTest
    @EnumSource(NodeType.class)
    void roundTrip_eachNodeType(NodeType type) throws Exception {
        Node n = node(type, "x");
        if (type == NodeType.FILE) {
            n = n.withContent(List.of(id(1), id(2), id(1)), 300, false);
        }
        if (type == NodeType.CHAR_DEVICE || type == NodeType.BLOCK_DEVICE) {
            n = new Node(type, utf8("x"), 0600, 0, 0, null, null, Node.Timestamp.ZERO, Node.Timestamp.ZERO,
                    0, 0, 1, 0, List.of(), null, null, 0xffff_ffffL, List.of(new Xattr("a", new byte[] {1})), true);
        }
        Tree back = roundTrip(Tree.of(List.of(n)));
        assertThat(back.nodes().get(0).type()).isEqualTo(type);
        assertThat(NodeType.ofCode(type.code())).isEqualTo(type);
    }

    @Test
    void nodeTypes_haveStableCodes() {
        assertThat(NodeType.values()).extracting(NodeType::code).containsExactly(1, 2, 3, 4, 5, 6, 7);
        assertThatThrownBy(() -> NodeType.ofCode(8)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void roundTrip_emptyTree() throws Exception {
        Tree empty = Tree.of(List.of());
        assertThat(hex(empty.encode())).isEqualTo("0100");
        assertThat(roundTrip(empty).nodes()).isEmpty();
    }

    @Test
    void roundTrip_tenThousandNodes() throws Exception {
        List<Node> nodes = new ArrayList<>();
        NodeType[] types = NodeType.values();
        for (int i = 0; i < 10_000; i++) {
            NodeType type = types[i % types.length];
            Node n = node(type, String.format("entry-%05d", 9_999 - i));
            if (type == NodeType.FILE) {
                n = n.withContent(List.of(id(i & 0xff), id((i >> 8) & 0xff)), i * 1000L, i % 3 == 0);
            }
            nodes.add(n);
        }
        Tree t = Tree.of(nodes);
        assertThat(t.nodes().get(0).displayName()).isEqualTo("entry-00000");
        Tree back = roundTrip(t);
        assertThat(back.nodes()).hasSize(10_000);
    }

    @Test
    void of_sortsByUnsignedBytes() {
        Tree t = Tree.of(List.of(node(NodeType.FILE, new byte[] {(byte) 0x80}), node(NodeType.FILE, "a"),
                node(NodeType.FILE, "B"), node(NodeType.FILE, "ab")));
        assertThat(t.nodes()).extracting(n -> hex(n.name())).containsExactly("42", "61", "6162", "80");
    }

    @Test
    void of_invalidOrDuplicateName_throwsIllegalArgument() {
        for (byte[] name : invalidNames()) {
            assertThat(catchThrowable(() -> Tree.of(List.of(node(NodeType.FILE, name)))))
                    .as(hex(name)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Tree.of(List.of(node(NodeType.FILE, "a"), node(NodeType.FIFO, "a"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate");
    }

    @Test
    void isValidName_boundaries() {
        assertThat(Tree.isValidName(new byte[4096])).isFalse(); // NUL bytes
        byte[] longest = new byte[4096];
        Arrays.fill(longest, (byte) 'a');
        assertThat(Tree.isValidName(longest)).isTrue();
        assertThat(Tree.isValidName(Arrays.copyOf(longest, 4097))).isFalse();
        assertThat(Tree.isValidName(utf8("..."))).isTrue();
        assertThat(Tree.isValidName(utf8(".a"))).isTrue();
        assertThat(Tree.isValidName(utf8("a\\b"))).isTrue();
        assertThat(Tree.isValidName(new byte[] {(byte) 0xff})).isTrue();
    }

    private static List<byte[]> invalidNames() {
        byte[] tooLong = new byte[4097];
        Arrays.fill(tooLong, (byte) 'a');
        return List.of(new byte[0], utf8("."), utf8(".."), utf8("a/b"), utf8("/"), utf8("a\0b"), utf8("a/"), tooLong);
    }

    // Hand-made encodings, following Tree.encode's layout field by field.

    private static ByteWriter header(int count) {
        return new ByteWriter().u8(1).varint(count);
    }

    /** A SOCKET node (no type-specific field) with the given name; the rest as {@code node()}. */
    private static ByteWriter socket(ByteWriter w, byte[] name) {
        return w.u8(7).bytes(name).varint(0644).svarint(1000).svarint(1000).string("alice").string("staff")
                .svarint(1_700_000_000L).varint(0).svarint(1_700_000_000L).varint(0)
                .varint(7).varint(2049).varint(1).varint(0).u8(0)
                .varint(0);
    }

    private static byte[] tree(byte[]... names) {
        ByteWriter w = header(names.length);
        for (byte[] n : names) {
            socket(w, n);
        }
        return w.toByteArray();
    }

    @Test
    void handMadeEncoding_matchesEncoder() throws Exception {
        byte[] made = tree(utf8("a"), utf8("b"));
        assertThat(made).isEqualTo(Tree.of(List.of(node(NodeType.SOCKET, "b"), node(NodeType.SOCKET, "a"))).encode());
        assertThat(Tree.decode(made, "t").nodes()).hasSize(2);
    }

    @Test
    void decode_invalidName_isCorrupt() {
        for (byte[] name : invalidNames()) {
            assertThat(catchThrowable(() -> Tree.decode(tree(name), "tree 1234")))
                    .as(hex(name)).isExactlyInstanceOf(CorruptDataException.class).hasMessageContaining("tree 1234");
        }
        assertThatThrownBy(() -> Tree.decode(tree(utf8("ok"), utf8("..")), "t"))
                .isExactlyInstanceOf(CorruptDataException.class).hasMessageContaining("invalid file name");
    }

    @Test
    void decode_duplicateName_isCorrupt() {
        assertThatThrownBy(() -> Tree.decode(tree(utf8("a"), utf8("a")), "t"))
                .isExactlyInstanceOf(CorruptDataException.class).hasMessageContaining("repeats");
    }

    @Test
    void decode_unsortedNames_isCorrupt() throws Exception {
        assertThatThrownBy(() -> Tree.decode(tree(utf8("b"), utf8("a")), "t"))
                .isExactlyInstanceOf(CorruptDataException.class).hasMessageContaining("not sorted");
        // signed comparison would accept this order; unsigned must not
        assertThatThrownBy(() -> Tree.decode(tree(new byte[] {(byte) 0x80}, utf8("a")), "t"))
                .isExactlyInstanceOf(CorruptDataException.class);
        assertThat(Tree.decode(tree(utf8("a"), new byte[] {(byte) 0x80}), "t").nodes()).hasSize(2);
    }

    @Test
    void decode_unknownVersionOrType_isCorrupt() {
        byte[] ok = tree(utf8("a"));
        for (int v : new int[] {0, 2, 255}) {
            byte[] bad = ok.clone();
            bad[0] = (byte) v;
            assertThatThrownBy(() -> Tree.decode(bad, "t")).isExactlyInstanceOf(CorruptDataException.class)
                    .hasMessageContaining("version");
        }
        for (int type : new int[] {0, 8, 255}) {
            byte[] bad = ok.clone();
            bad[2] = (byte) type;
            assertThatThrownBy(() -> Tree.decode(bad, "t")).isExactlyInstanceOf(CorruptDataException.class)
                    .hasMessageContaining("node type");
        }
    }

    @Test
    void decode_trailingBytes_isCorrupt() {
        byte[] ok = tree(utf8("a"));
        assertThatThrownBy(() -> Tree.decode(Arrays.copyOf(ok, ok.length + 1), "t"))
                .isExactlyInstanceOf(CorruptDataException.class);
        assertThatThrownBy(() -> Tree.decode(new byte[0], "t")).isExactlyInstanceOf(CorruptDataException.class);
    }

    @Test
    void decode_hugeCounts_failFast() {
        // ten million nodes claimed, none present
        assertThatThrownBy(() -> Tree.decode(header(10_000_000).toByteArray(), "t"))
                .isExactlyInstanceOf(CorruptDataException.class);
        assertThatThrownBy(() -> Tree.decode(header(10_000_001).toByteArray(), "t"))
                .isExactlyInstanceOf(CorruptDataException.class).hasMessageContaining("more than the allowed");
        // a file claiming 2^24 chunks
        ByteWriter w = header(1).u8(1).bytes(utf8("f")).varint(0).svarint(0).svarint(0).string("").string("")
                .svarint(0).varint(0).svarint(0).varint(0).varint(0).varint(0).varint(0).varint(0).u8(0)
                .varint(1 << 24);
        assertThatThrownBy(() -> Tree.decode(w.toByteArray(), "t")).isExactlyInstanceOf(CorruptDataException.class);
    }

    private static byte[] withTimes(long mtimeNanos) {
        return header(1).u8(7).bytes(utf8("a")).varint(0).svarint(0).svarint(0).string("").string("")
                .svarint(0).varint(mtimeNanos).svarint(0).varint(0)
                .varint(0).varint(0).varint(0).varint(0).u8(0).varint(0).toByteArray();
    }

    @Test
    void decode_nanosOutOfRange_isCorrupt() throws Exception {
        assertThat(Tree.decode(withTimes(999_999_999), "t").nodes().get(0).mtime().nanos()).isEqualTo(999_999_999);
        assertThatThrownBy(() -> Tree.decode(withTimes(1_000_000_000), "t"))
                .isExactlyInstanceOf(CorruptDataException.class).hasMessageContaining("nanoseconds");
        // a 64-bit varint that reads back as a negative long
        assertThatThrownBy(() -> Tree.decode(withTimes(-1), "t"))
                .isExactlyInstanceOf(CorruptDataException.class).hasMessageContaining("nanoseconds");
        assertThatThrownBy(() -> Tree.decode(withTimes(Long.MIN_VALUE + 5), "t"))
                .isExactlyInstanceOf(CorruptDataException.class).hasMessageContaining("nanoseconds");
    }

    @Test
    void decode_invalidUtf8InUserOrXattrName_isCorrupt() {
        byte[] badUser = header(1).u8(7).bytes(utf8("a")).varint(0).svarint(0).svarint(0)
                .bytes(new byte[] {(byte) 0xc3}).string("").toByteArray();
        assertThatThrownBy(() -> Tree.decode(badUser, "t")).isExactlyInstanceOf(CorruptDataException.class);
        byte[] badXattr = header(1).u8(7).bytes(utf8("a")).varint(0).svarint(0).svarint(0).string("").string("")
                .svarint(0).varint(0).svarint(0).varint(0).varint(0).varint(0).varint(0).varint(0).u8(0)
                .varint(1).bytes(new byte[] {(byte) 0xff}).bytes(new byte[0]).toByteArray();
        assertThatThrownBy(() -> Tree.decode(badXattr, "t")).isExactlyInstanceOf(CorruptDataException.class);
    }

    @Test
    void decode_modeKeepsLowTwelveBits() throws Exception {
        byte[] b = header(1).u8(7).bytes(utf8("a")).varint(0140755).svarint(0).svarint(0).string("").string("")
                .svarint(0).varint(0).svarint(0).varint(0).varint(0).varint(0).varint(0).varint(0).u8(0)
                .varint(0).toByteArray();
        assertThat(Tree.decode(b, "t").nodes().get(0).mode()).isEqualTo(0755);
    }

    @Test
    void decode_flippedGoldenByte_isCorruptOrStillValid() {
        byte[] golden = hex(GOLDEN);
        for (int i = 0; i < golden.length; i++) {
            byte[] bad = Fixtures.flipped(golden, i);
            try {
                Tree t = Tree.decode(bad, "t");
                for (Node n : t.nodes()) {
                    assertThat(Tree.isValidName(n.name())).as("byte %d", i).isTrue();
                }
            } catch (CorruptDataException expected) {
                // fine
            }
        }
    }

    @Test
    void decode_truncatedGolden_isCorrupt() {
        byte[] golden = hex(GOLDEN);
        for (int n = 0; n < golden.length; n++) {
            byte[] bad = Arrays.copyOf(golden, n);
            assertThat(catchThrowable(() -> Tree.decode(bad, "t"))).as("length %d", n)
                    .isExactlyInstanceOf(CorruptDataException.class);
        }
    }

    @Test
    void node_defaultsAndCopies() {
        Node n = new Node(NodeType.FILE, utf8("f"), 0644, 1, 2, null, null, Node.Timestamp.ZERO,
                Node.Timestamp.ZERO, 0, 0, 1, 0, new ArrayList<>(List.of(id(1))), null, null, 0, List.of(), false);
        assertThat(n.user()).isEmpty();
        assertThat(n.group()).isEmpty();
        assertThat(n.linkTarget()).isEmpty();
        assertThat(n.isDirectory()).isFalse();
        assertThatThrownBy(() -> n.content().add(id(2))).isInstanceOf(UnsupportedOperationException.class);
        Node changed = n.withContent(List.of(id(3)), 99, true);
        assertThat(changed.content()).containsExactly(id(3));
        assertThat(changed.size()).isEqualTo(99);
        assertThat(changed.changedDuringBackup()).isTrue();
        assertThat(changed.uid()).isEqualTo(1);
        Id sub = id(9);
        assertThat(node(NodeType.DIRECTORY, "d").withSubtree(sub).subtree()).isEqualTo(sub);
        assertThat(n.withName(utf8("g")).displayName()).isEqualTo("g");
    }
}
