package io.dlrgate.simulator.carrier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dlrgate.simulator.outcome.Decision;
import io.dlrgate.simulator.outcome.Part;
import io.dlrgate.simulator.outcome.PlannedReceipt;
import io.dlrgate.simulator.outcome.Stat;
import io.dlrgate.simulator.outcome.SubmitView;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ground truth of a carrier: for every submit, what was received, the id issued, the outcomes decided and
 * what became of each receipt. Entries are in order of arrival. Thread-safe.
 */
public final class Ledger {

    /** What became of one planned receipt. */
    public enum ReceiptState {
        /** decided, not due yet or waiting for a session */
        PLANNED,
        /** written at least once, no final answer yet */
        SENT,
        /** answered with command_status 0 */
        ACKNOWLEDGED,
        /** answered with a non-retryable error */
        REFUSED,
        /** never sent: the submit_sm_resp could not be written, or the carrier stopped first */
        ABANDONED
    }

    /** One receipt of an entry, as a snapshot. */
    public record ReceiptRecord(Stat stat, String err, long delayMillis, boolean intermediate, ReceiptState state,
                                int attempts, int throttled, int lastStatus, PlannedReceipt.Kind kind, String text) {
        /** Not a reply: no text. */
        public ReceiptRecord(Stat stat, String err, long delayMillis, boolean intermediate, ReceiptState state,
                             int attempts, int throttled, int lastStatus, PlannedReceipt.Kind kind) {
            this(stat, err, delayMillis, intermediate, state, attempts, throttled, lastStatus, kind, null);
        }

        public ReceiptRecord(Stat stat, String err, long delayMillis, boolean intermediate, ReceiptState state,
                             int attempts, int throttled, int lastStatus) {
            this(stat, err, delayMillis, intermediate, state, attempts, throttled, lastStatus,
                    PlannedReceipt.Kind.RECEIPT);
        }

        public boolean acknowledged() {
            return state == ReceiptState.ACKNOWLEDGED;
        }

        /** A fault sent next to the message's receipts (unknown id, malformed): says nothing about the message. */
        public boolean noise() {
            return kind != PlannedReceipt.Kind.RECEIPT;
        }
    }

    /**
     * One submit, as a snapshot. {@code messageId} is null when the submit was rejected. {@code part} is set when
     * the submit is a part of a concatenated message: then {@code content} is the part's text, and the part's
     * {@link Part#message() message} groups it with its other parts (see {@link #messages()}).
     */
    public record Entry(long sequence, String source, String destination, String content, String messageId,
                        int submitStatus, List<ReceiptRecord> receipts, Part part) {
        /** A whole message. */
        public Entry(long sequence, String source, String destination, String content, String messageId,
                     int submitStatus, List<ReceiptRecord> receipts) {
            this(sequence, source, destination, content, messageId, submitStatus, receipts, null);
        }

        /**
         * The final stat: that of the last receipt that is not an intermediate notification (an intermediate sent
         * after the final, as hostile carriers do, does not change it); the last intermediate's stat when there is
         * no final; null when no receipt was planned.
         */
        public Stat finalStat() {
            Stat last = null;
            for (int i = receipts.size() - 1; i >= 0; i--) {
                ReceiptRecord r = receipts.get(i);
                if (r.noise()) {
                    continue;
                }
                if (!r.intermediate()) {
                    return r.stat();
                }
                if (last == null) {
                    last = r.stat();
                }
            }
            return last;
        }

        public boolean allAcknowledged() {
            return receipts.stream().filter(r -> !r.noise()).allMatch(ReceiptRecord::acknowledged);
        }
    }

    /** Live state of one receipt; package-private, mutated by the carrier. */
    static final class TrackedReceipt {
        final PlannedReceipt plan;
        volatile ReceiptState state = ReceiptState.PLANNED;
        final AtomicInteger attempts = new AtomicInteger();
        final AtomicInteger throttled = new AtomicInteger();
        volatile int lastStatus = -1;

        TrackedReceipt(PlannedReceipt plan) {
            this.plan = plan;
        }

        ReceiptRecord snapshot() {
            return new ReceiptRecord(plan.stat(), plan.err(), plan.delayMillis(), plan.intermediate(), state,
                    attempts.get(), throttled.get(), lastStatus, plan.kind(), plan.text());
        }

        boolean settled() {
            ReceiptState s = state;
            return s == ReceiptState.ACKNOWLEDGED || s == ReceiptState.REFUSED || s == ReceiptState.ABANDONED;
        }
    }

    /** Live state of one submit. */
    static final class Tracked {
        final SubmitView submit;
        final MessageIdGenerator.IssuedId id;
        final int submitStatus;
        final List<TrackedReceipt> receipts;
        /** Completed once every receipt is answered; only waited for when the receipts go first. */
        final java.util.concurrent.CompletableFuture<Void> receiptsAnswered = new java.util.concurrent.CompletableFuture<>();
        /** What the {@link Journal} writes for it before it is answered; null without a journal. */
        Object journalLine;

        Tracked(SubmitView submit, MessageIdGenerator.IssuedId id, Decision decision) {
            this.submit = submit;
            this.id = id;
            this.submitStatus = decision.submitStatus();
            List<TrackedReceipt> r = new ArrayList<>();
            if (decision.submitStatus() == 0) {
                for (PlannedReceipt p : decision.receipts()) {
                    r.add(new TrackedReceipt(p));
                }
            }
            this.receipts = List.copyOf(r);
            if (receipts.isEmpty()) {
                receiptsAnswered.complete(null);
            }
        }

        void checkAnswered() {
            if (!receiptsAnswered.isDone() && receipts.stream().allMatch(TrackedReceipt::settled)) {
                receiptsAnswered.complete(null);
            }
        }

        Entry snapshot() {
            List<ReceiptRecord> rs = new ArrayList<>(receipts.size());
            for (TrackedReceipt r : receipts) {
                rs.add(r.snapshot());
            }
            return new Entry(submit.sequence(), submit.source(), submit.destination(), submit.content(),
                    id == null ? null : id.text(), submitStatus, List.copyOf(rs), submit.part());
        }
    }

    /**
     * Where each submit is written as the run goes, so that a stop, even SIGKILL, loses no answered submit:
     * {@link #line} is asked in order of arrival, {@link #write} before the submit's answer goes out.
     */
    public interface Journal {
        /** The line for a submit just recorded, in order of arrival, one at a time (receipts still planned). */
        Object line(Entry entry);

        /** Writes a line and flushes it to the operating system before returning; from any thread. */
        void write(Object line) throws IOException;
    }

    private final List<Tracked> entries = new ArrayList<>();
    private volatile Journal journal;

    /** Journals every submit recorded from now on. */
    public void journal(Journal j) {
        this.journal = j;
    }

    synchronized Tracked add(SubmitView submit, MessageIdGenerator.IssuedId id, Decision decision) {
        Tracked t = new Tracked(submit, id, decision);
        entries.add(t);
        Journal j = journal;
        if (j != null) {
            t.journalLine = j.line(t.snapshot());
        }
        return t;
    }

    /** Writes the submit's journal line, if any: called before its answer is written. */
    void journalWrite(Tracked t) throws IOException {
        Journal j = journal;
        if (j != null && t.journalLine != null) {
            j.write(t.journalLine);
        }
    }

    /** All entries so far, in order of arrival. */
    public synchronized List<Entry> entries() {
        List<Entry> out = new ArrayList<>(entries.size());
        for (Tracked t : entries) {
            out.add(t.snapshot());
        }
        return out;
    }

    public synchronized int size() {
        return entries.size();
    }

    /** Ids issued, in order of arrival (rejected submits have none). */
    public synchronized List<String> issuedIds() {
        List<String> ids = new ArrayList<>(entries.size());
        for (Tracked t : entries) {
            if (t.id != null) {
                ids.add(t.id.text());
            }
        }
        return ids;
    }

    /** How many submits ended (will end) with each final stat. */
    public synchronized Map<Stat, Long> finalStatCounts() {
        Map<Stat, Long> counts = new TreeMap<>();
        for (Tracked t : entries) {
            Stat fin = t.snapshot().finalStat();
            if (fin != null) {
                counts.merge(fin, 1L, Long::sum);
            }
        }
        return counts;
    }

    /** Writes the ledger as JSON lines, one entry per line. */
    public void writeJsonLines(Writer w) throws IOException {
        ObjectMapper mapper = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        for (Entry e : entries()) {
            w.write(mapper.writeValueAsString(e));
            w.write('\n');
        }
        w.flush();
    }
}
