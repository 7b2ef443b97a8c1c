package dev.cairn.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Command lines that run {@link Cairn#main} in a separate JVM, as the real launcher does. */
final class ChildJvm {
    private ChildJvm() {}

    static String java() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    static String classpath() {
        return System.getProperty("java.class.path");
    }

    /** {@code java ... dev.cairn.cli.Cairn args} with the given class path. */
    static List<String> command(String classpath, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(java(), "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xmx512m",
                "--add-opens", "java.base/sun.nio.fs=ALL-UNNAMED", "-cp", classpath, "dev.cairn.cli.Cairn"));
        cmd.addAll(args);
        return cmd;
    }

    static List<String> command(List<String> args) {
        return command(classpath(), args);
    }

    /**
     * Copies this JVM's class path below {@code dir} (jars as files, class folders as trees) and
     * returns the class path of the copies: for a child running as a user who cannot read ours.
     */
    static String copyClasspath(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String entry : classpath().split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path from = Path.of(entry);
            if (!Files.exists(from)) {
                continue;
            }
            Path to = dir.resolve(i++ + "-" + from.getFileName());
            if (Files.isDirectory(from)) {
                try (Stream<Path> s = Files.walk(from)) {
                    for (Path p : (Iterable<Path>) s::iterator) {
                        Path q = to.resolve(from.relativize(p).toString());
                        if (Files.isDirectory(p)) {
                            Files.createDirectories(q);
                        } else {
                            Files.copy(p, q, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            } else {
                Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
            }
            entries.add(to.toString());
        }
        return String.join(File.pathSeparator, entries);
    }
}
