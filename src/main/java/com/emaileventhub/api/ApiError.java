package com.emaileventhub.api;

/** A refused API call: its status and a message naming the parameter or credential at fault. */
public final class ApiError extends RuntimeException {
    private final int status;

    public ApiError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
