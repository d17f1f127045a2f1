package io.dlrgate.gateway.send;

/** A send request that cannot be accepted as asked; {@link #field()} names the offending input. */
public final class SendRejectedException extends RuntimeException {

    private final String field;

    public SendRejectedException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
