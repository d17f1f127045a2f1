package io.dlrgate.gateway.dispatch;

/** What a submit_sm carries as its reference object, so that its response finds its message without a lookup. */
record InFlightSubmit(long messageId, int attempt) {
}
