package io.dlrgate.gateway.smpp;

/**
 * Told when a carrier session becomes usable and when it ends.
 *
 * <p>Guarantees, per session: {@link #sessionBound} is called at most once, only after the bind response has
 * been written (so a submit sent from inside it can never overtake the bind_resp); {@link #sessionClosed} is
 * called exactly once for every session that was reported bound, after {@code sessionBound}, whatever ended it
 * (unbind, the carrier dropping TCP, a write timeout, {@link CarrierSession#close()}, server stop). A session
 * that closes before it is reported bound is reported to nobody.
 *
 * <p>Threading: {@code sessionBound} runs on a gateway worker thread, {@code sessionClosed} usually on the
 * session's Netty event loop. Both must return quickly and never block (hand work to your own executor).
 */
public interface CarrierSessionListener {

    default void sessionBound(CarrierSession session) {
    }

    default void sessionClosed(CarrierSession session) {
    }
}
