package dev.cairn.format.tree;

import dev.cairn.format.CorruptDataException;
import dev.cairn.format.Id;
import dev.cairn.format.codec.ByteReader;
import dev.cairn.format.codec.ByteWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One directory's entries, sorted by raw name bytes (unsigned), names unique. Stored as a TREE
 * blob; its encoding is in docs/design.md ("Trees"). Decoding validates everything a restore
 * relies on: a name that could escape the restore target is corruption, not a path.
 */
public record Tree(List<Node> nodes) {
    static final int VERSION = 1;
    static final int MAX_NODES = 10_000_000;
    static final int MAX_NAME = 4096;
    static final int MAX_CHUNKS = 1 << 24;
    private static final int FLAG_CHANGED = 1;

    public Tree {
        nodes = List.copyOf(nodes);
    }

    /** Sorts by name; rejects duplicates and invalid names. */
    public static Tree of(List<Node> nodes) {
        List<Node> sorted = new ArrayList<>(nodes);
        sorted.sort((a, b) -> Arrays.compareUnsigned(a.name(), b.name()));
        for (int i = 0; i < sorted.size(); i++) {
            if (!isValidName(sorted.get(i).name())) {
                throw new IllegalArgumentException("invalid file name: " + sorted.get(i).displayName());
            }
            if (i > 0 && Arrays.equals(sorted.get(i - 1).name(), sorted.get(i).name())) {
                throw new IllegalArgumentException("duplicate name: " + sorted.get(i).displayName());
            }
        }
        return new Tree(sorted);
    }

    /** A name is one path element: non-empty, not . or .., no slash, no NUL, at most 4096 bytes. */
    public static boolean isValidName(byte[] name) {
        if (name.length == 0 || name.length > MAX_NAME) {
            return false;
        }
        if ((name.length == 1 && name[0] == '.') || (name.length == 2 && name[0] == '.' && name[1] == '.')) {
            return false;
        }
        for (byte b : name) {
            if (b == '/' || b == 0) {
                return false;
            }
        }
        return true;
    }

    public byte[] encode() {
        ByteWriter w = new ByteWriter(64 + nodes.size() * 128).u8(VERSION).varint(nodes.size());
        for (Node n : nodes) {
            encodeNode(w, n);
        }
        return w.toByteArray();
    }

    private static void encodeNode(ByteWriter w, Node n) {
        w.u8(n.type().code()).bytes(n.name()).varint(n.mode())
                .svarint(n.uid()).svarint(n.gid()).string(n.user()).string(n.group())
                .svarint(n.mtime().seconds()).varint(n.mtime().nanos())
                .svarint(n.ctime().seconds()).varint(n.ctime().nanos())
                .varint(n.inode()).varint(n.device()).varint(n.links()).varint(n.size())
                .u8(n.changedDuringBackup() ? FLAG_CHANGED : 0);
        switch (n.type()) {
            case FILE -> {
                w.varint(n.content().size());
                n.content().forEach(w::id);
            }
            case DIRECTORY -> w.id(n.subtree());
            case SYMLINK -> w.bytes(n.linkTarget());
            case CHAR_DEVICE, BLOCK_DEVICE -> w.varint(n.rdev());
            default -> { }
        }
        w.varint(n.xattrs().size());
        for (Xattr x : n.xattrs()) {
            w.string(x.name()).bytes(x.value());
        }
    }

    public static Tree decode(byte[] data, String what) throws CorruptDataException {
        ByteReader r = new ByteReader(data, what);
        int version = r.u8();
        if (version != VERSION) {
            throw new CorruptDataException(what + " has unknown tree version " + version);
        }
        int count = r.count(MAX_NODES);
        List<Node> nodes = new ArrayList<>(Math.min(count, 4096));
        byte[] previous = null;
        for (int i = 0; i < count; i++) {
            Node n = decodeNode(r, what);
            if (!isValidName(n.name())) {
                throw new CorruptDataException(what + " holds an invalid file name '" + n.displayName()
                        + "' (empty, '.', '..', or containing '/' or NUL)");
            }
            if (previous != null && Arrays.compareUnsigned(previous, n.name()) >= 0) {
                throw new CorruptDataException(what + " is not sorted or repeats the name '" + n.displayName() + "'");
            }
            previous = n.name();
            nodes.add(n);
        }
        r.expectEnd();
        return new Tree(nodes);
    }

    private static Node decodeNode(ByteReader r, String what) throws CorruptDataException {
        NodeType type;
        try {
            type = NodeType.ofCode(r.u8());
        } catch (IllegalArgumentException e) {
            throw new CorruptDataException(what + ": " + e.getMessage());
        }
        byte[] name = r.bytes(MAX_NAME);
        int mode = (int) r.varint() & 07777;
        long uid = r.svarint();
        long gid = r.svarint();
        String user = r.string(1024);
        String group = r.string(1024);
        Node.Timestamp mtime = timestamp(r, what);
        Node.Timestamp ctime = timestamp(r, what);
        long inode = r.varint();
        long device = r.varint();
        long links = r.varint();
        long size = r.varint();
        boolean changed = (r.u8() & FLAG_CHANGED) != 0;
        List<Id> content = List.of();
        Id subtree = null;
        byte[] target = new byte[0];
        long rdev = 0;
        switch (type) {
            case FILE -> {
                int n = r.count(MAX_CHUNKS);
                List<Id> ids = new ArrayList<>(Math.min(n, 4096));
                for (int i = 0; i < n; i++) {
                    ids.add(r.id());
                }
                content = ids;
            }
            case DIRECTORY -> subtree = r.id();
            case SYMLINK -> target = r.bytes(65536);
            case CHAR_DEVICE, BLOCK_DEVICE -> rdev = r.varint();
            default -> { }
        }
        int nx = r.count(65536);
        List<Xattr> xattrs = new ArrayList<>(Math.min(nx, 64));
        for (int i = 0; i < nx; i++) {
            xattrs.add(new Xattr(r.string(1024), r.bytes(1 << 20)));
        }
        return new Node(type, name, mode, uid, gid, user, group, mtime, ctime, inode, device, links,
                size, content, subtree, target, rdev, xattrs, changed);
    }

    private static Node.Timestamp timestamp(ByteReader r, String what) throws CorruptDataException {
        long s = r.svarint();
        long ns = r.varint();
        if (ns < 0 || ns >= 1_000_000_000L) {
            throw new CorruptDataException(what + " holds a timestamp with " + ns + " nanoseconds");
        }
        return new Node.Timestamp(s, (int) ns);
    }
}
