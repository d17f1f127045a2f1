package io.dlrgate.simulator.scenario;

import java.util.SplittableRandom;

/**
 * How long after the submit (or after the previous receipt of the same message) a receipt goes out.
 * Draws are in milliseconds and never negative (a normal draw below zero is zero).
 */
public sealed interface Delay {

    long draw(SplittableRandom random);

    /** Always the same delay. Draws nothing from the random source. */
    record Fixed(long millis) implements Delay {
        public long draw(SplittableRandom random) {
            return millis;
        }

        public String toString() {
            return millis + "ms";
        }
    }

    /** Uniform in {@code [min, max]}. */
    record Uniform(long minMillis, long maxMillis) implements Delay {
        public long draw(SplittableRandom random) {
            return minMillis == maxMillis ? minMillis : minMillis + random.nextLong(maxMillis - minMillis + 1);
        }
    }

    /** Normal with the given mean and standard deviation, cut at zero. */
    record Normal(long meanMillis, long stddevMillis) implements Delay {
        public long draw(SplittableRandom random) {
            // Box-Muller from two uniforms, so the draw depends on the SplittableRandom sequence alone
            double u1 = 1.0 - random.nextDouble();
            double u2 = random.nextDouble();
            double z = Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
            return Math.max(0L, Math.round(meanMillis + z * stddevMillis));
        }
    }

    /** Exponential with the given mean (memoryless: most receipts come quickly, a few very late). */
    record Exponential(long meanMillis) implements Delay {
        public long draw(SplittableRandom random) {
            return Math.round(-Math.log(1.0 - random.nextDouble()) * meanMillis);
        }
    }
}
