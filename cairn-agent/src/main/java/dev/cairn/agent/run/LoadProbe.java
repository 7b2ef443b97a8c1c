package dev.cairn.agent.run;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * How busy the machine is: the 1-minute load average divided by the number of CPU cores, so 1.0
 * means every core had, on average, one runnable process. Replaced in tests.
 */
@FunctionalInterface
public interface LoadProbe {
    /** The load per core; 0 when the platform does not report a load average (Windows). */
    double loadPerCore();

    /** The operating system's load average, as reported to the JVM. */
    static LoadProbe system() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return () -> {
            double load = os.getSystemLoadAverage();
            return load < 0 ? 0 : load / Math.max(1, os.getAvailableProcessors());
        };
    }
}
