package dev.cairn.client.backup;

import dev.cairn.format.CorruptDataException;
import dev.cairn.format.Id;
import dev.cairn.format.tree.Tree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A write-only client's memory of its own last snapshot: the trees it wrote, kept on the client
 * machine, because the repository's copies are sealed to a key the client does not hold. Without
 * it a write-only backup reads every file again and relies on deduplication.
 *
 * <p>Layout under the cache folder: {@code snapshots/ID} holds a snapshot's root tree id,
 * {@code trees/ID} a tree's plain encoding. Only the trees of the newest snapshot are kept.
 */
public final class ParentCache {
    private final Path root;

    public ParentCache(Path root) {
        this.root = root;
    }

    Optional<Id> rootTree(Id snapshot) {
        try {
            return Optional.of(Id.of(Files.readAllBytes(root.resolve("snapshots").resolve(snapshot.hex()))));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    Tree tree(Id id) throws IOException {
        try {
            return Tree.decode(Files.readAllBytes(root.resolve("trees").resolve(id.hex())), "cached tree " + id.shortHex());
        } catch (NoSuchFileException e) {
            throw new CorruptDataException("cached tree " + id.shortHex() + " is missing", e);
        }
    }

    void putTree(Id id, byte[] encoded) throws IOException {
        write(root.resolve("trees").resolve(id.hex()), encoded);
    }

    /** Records a finished snapshot and drops trees that it does not use. */
    void commit(Id snapshot, Id rootTree, Set<Id> liveTrees) throws IOException {
        write(root.resolve("snapshots").resolve(snapshot.hex()), rootTree.bytes());
        prune(root.resolve("snapshots"), Set.of(snapshot.hex()));
        Set<String> live = new HashSet<>();
        liveTrees.forEach(t -> live.add(t.hex()));
        prune(root.resolve("trees"), live);
    }

    private static void prune(Path dir, Set<String> keep) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (!keep.contains(p.getFileName().toString())) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void write(Path file, byte[] data) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, data);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
