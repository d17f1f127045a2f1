package io.dlrgate.reporting.replies;

/**
 * The webhook event a stored reply will raise. Webhooks are built separately (issue 16 leaves this seam): the outbox
 * row for a reply belongs in the transaction that stores it ({@code ReplyWriter#write}), with this type.
 */
public final class ReplyEvents {

    /** Raised once per stored reply, opt-outs and opt-ins included (their {@code kind} tells them apart). */
    public static final String REPLY_RECEIVED = "reply.received";

    private ReplyEvents() {
    }
}
