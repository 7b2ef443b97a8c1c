package dev.cairn.agent.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects problems while a file is read, so one pass reports every mistake rather than the first. */
final class Problems {
    private final String file;
    private final List<ConfigProblem> list = new ArrayList<>();

    Problems(String file) {
        this.file = file;
    }

    void add(int line, int column, String message) {
        list.add(new ConfigProblem(file, line, column, message));
    }

    int size() {
        return list.size();
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    /** The problems in file order, which is the order a reader fixes them in. */
    List<ConfigProblem> sorted() {
        List<ConfigProblem> copy = new ArrayList<>(list);
        copy.sort(Comparator.comparingInt(ConfigProblem::line).thenComparingInt(ConfigProblem::column));
        return List.copyOf(copy);
    }
}
