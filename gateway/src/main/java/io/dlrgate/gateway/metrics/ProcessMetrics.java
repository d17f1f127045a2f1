package io.dlrgate.gateway.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/** The JVM and process binders ({@code jvm_*}, {@code process_*}, {@code system_*}) and {@code dlrgate_build_info}. */
public final class ProcessMetrics {

    private ProcessMetrics() {
    }

    /** Binds them all to the registry; close the result to stop the GC listener. */
    public static AutoCloseable bind(MeterRegistry registry, String version) {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        Gauge.builder("dlrgate.build.info", () -> 1).tag("version", version)
                .description("Always 1; the label says which dlrgate version runs").strongReference(true)
                .register(registry);
        return gc;
    }
}
