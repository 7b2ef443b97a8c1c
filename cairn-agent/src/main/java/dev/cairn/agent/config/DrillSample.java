package dev.cairn.agent.config;

/** How much of the latest snapshot a restore drill restores and checks. */
public sealed interface DrillSample {
    /** The default sample: one percent of the snapshot's files. */
    DrillSample DEFAULT = new Percent(1.0);

    /** A share of the snapshot's files, in percent (above 0, at most 100). */
    record Percent(double percent) implements DrillSample {
        public Percent {
            if (!(percent > 0 && percent <= 100)) {
                throw new IllegalArgumentException("percent out of range: " + percent);
            }
        }

        /** The number of files to test out of {@code total}, at least one. */
        public int filesOf(long total) {
            return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.ceil(total * percent / 100)));
        }

        @Override
        public String toString() {
            return (percent == Math.rint(percent) ? String.valueOf((long) percent) : String.valueOf(percent)) + "%";
        }
    }

    /** A fixed number of files. */
    record Files(int count) implements DrillSample {
        public Files {
            if (count < 1) {
                throw new IllegalArgumentException("a drill tests at least one file, not " + count);
            }
        }

        @Override
        public String toString() {
            return count + " files";
        }
    }
}
