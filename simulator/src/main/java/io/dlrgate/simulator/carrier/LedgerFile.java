package io.dlrgate.simulator.carrier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Function;

/**
 * A ledger file written as the run goes: one JSON line per submit, in the order the submits were answered,
 * flushed to the operating system before the answer is written, so a stop (even SIGKILL) never loses a submit
 * the carrier acknowledged. On an orderly stop {@link #finish} puts the complete ledger (final receipt states,
 * sorted) in its place.
 */
public final class LedgerFile implements AutoCloseable {

    /** Writes a complete ledger. */
    @FunctionalInterface
    public interface Contents {
        void writeTo(Writer w) throws IOException;
    }

    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private final Path file;
    private final Writer out;
    private boolean closed;

    private LedgerFile(Path file) throws IOException {
        this.file = file;
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8); // created, or emptied
    }

    public static LedgerFile create(Path file) throws IOException {
        return new LedgerFile(file);
    }

    /**
     * A journal for one carrier's {@link Ledger} writing into this file.
     *
     * @param lineOf what to write for a submit (called in order of arrival, one at a time): the entry itself, or
     *               a line of a richer ledger
     */
    public Ledger.Journal journal(Function<Ledger.Entry, Object> lineOf) {
        return new Ledger.Journal() {
            @Override
            public Object line(Ledger.Entry entry) {
                return lineOf.apply(entry);
            }

            @Override
            public void write(Object line) throws IOException {
                LedgerFile.this.write(line);
            }
        };
    }

    /** Appends one line and flushes it to the operating system. */
    public synchronized void write(Object line) throws IOException {
        if (closed) {
            throw new IOException("ledger file " + file + " is closed: the run is stopping");
        }
        out.write(JSON.writeValueAsString(line));
        out.write('\n');
        out.flush();
    }

    /**
     * Closes the journal and replaces it with {@code complete}, written beside it and then moved over it: a stop
     * during the write leaves the journal as it was.
     */
    public synchronized void finish(Contents complete) throws IOException {
        close();
        Path aside = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer w = Files.newBufferedWriter(aside, StandardCharsets.UTF_8)) {
            complete.writeTo(w);
        }
        Files.move(aside, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public synchronized void close() throws IOException {
        if (!closed) {
            closed = true;
            out.close();
        }
    }
}
