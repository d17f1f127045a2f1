package io.dlrgate.reporting.report;

/** Takes rows one at a time as a query streams them (CSV export); may block for back-pressure. */
@FunctionalInterface
public interface RowSink<T> {

    void accept(T row) throws Exception;
}
