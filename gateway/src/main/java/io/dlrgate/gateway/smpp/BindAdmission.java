package io.dlrgate.gateway.smpp;

/**
 * The carrier-wide side of {@code max_binds}: whether a bind that fits this process's own count may also take a
 * place among the carrier's binds on every gateway instance. Asked after the local reservation, before the
 * bind_resp is written, on a thread that may block (a database round trip): never on an event loop.
 */
public interface BindAdmission {

    /** What {@link #admit} decided. */
    enum Verdict {
        ADMITTED,
        /** the carrier has max_binds binds across the instances */
        MAX_BINDS,
        /** the count across instances could not be read (database unreachable, lease not held) */
        UNAVAILABLE
    }

    /** Takes a place for the session among the carrier's binds, if one is left. Blocks. */
    Verdict admit(String carrierId, long sessionId, int maxBinds);

    /** The admitted session ended: its place is free again. Blocks. */
    void ended(String carrierId, long sessionId);

    /** One process alone: its own count ({@link CarrierSessions#tryReserve}) is the carrier's count. */
    BindAdmission LOCAL = new BindAdmission() {
        @Override
        public Verdict admit(String carrierId, long sessionId, int maxBinds) {
            return Verdict.ADMITTED;
        }

        @Override
        public void ended(String carrierId, long sessionId) {
        }
    };
}
