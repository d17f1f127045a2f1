package io.dlrgate.simulator.load;

import java.util.Locale;

/**
 * What a load run measured.
 *
 * @param sessions       sessions bound
 * @param requested      receipts asked for
 * @param pdusSent       receipt PDUs written, retries included
 * @param acknowledged   receipts answered with command_status 0
 * @param throttled      retryable answers (0x58 ...), each followed by a retry
 * @param refused        receipts answered with a non-retryable error
 * @param expired        attempts that got no answer in time (sent again)
 * @param unfinished     receipts neither acknowledged nor refused when the run ended (time bound, lost binds)
 * @param seconds        from the first send to the last answer
 * @param p50Micros      median time from send to deliver_sm_resp
 * @param p99Micros      99th percentile
 * @param maxMicros      maximum
 */
public record LoadReport(int sessions, long requested, long pdusSent, long acknowledged, long throttled, long refused,
                         long expired, long unfinished, double seconds, long p50Micros, long p99Micros,
                         long maxMicros) {

    public double acknowledgedPerSecond() {
        return seconds <= 0 ? 0 : acknowledged / seconds;
    }

    public String describe() {
        return String.format(Locale.ROOT,
                "load: %d sessions, %d receipts requested, %d acknowledged OK in %.3f s = %.0f receipts/s; "
                        + "latency send->deliver_sm_resp p50 %.3f ms, p99 %.3f ms, max %.3f ms; "
                        + "throttled %d (retried), refused %d, expired %d, unfinished %d, PDUs sent %d",
                sessions, requested, acknowledged, seconds, acknowledgedPerSecond(), p50Micros / 1000.0,
                p99Micros / 1000.0, maxMicros / 1000.0, throttled, refused, expired, unfinished, pdusSent);
    }
}
