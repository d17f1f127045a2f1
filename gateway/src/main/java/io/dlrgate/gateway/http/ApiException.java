package io.dlrgate.gateway.http;

/** An API request refused with a 4xx status and a message for the caller. */
final class ApiException extends RuntimeException {

    private final int status;
    private final String field;

    ApiException(int status, String field, String message) {
        super(message);
        this.status = status;
        this.field = field;
    }

    static ApiException badRequest(String field, String message) {
        return new ApiException(400, field, field == null ? message : field + ": " + message);
    }

    static ApiException notFound(String what) {
        return new ApiException(404, null, what + " not found");
    }

    int status() {
        return status;
    }

    String field() {
        return field;
    }
}
