package io.meshdesk.etcd;

/**
 * etcd did not answer (in time, on any member) or is not loaded yet: the caller can do nothing
 * but try again later. The message names the endpoints, what was being done, and what to check.
 * HTTP functions answer it 503 ({@code libraries/problem-details}); chat ends the stream
 * UNAVAILABLE. It is this library's own type so that a function without HTTP problems (chat)
 * need not know them.
 */
public final class EtcdUnavailableException extends RuntimeException {

    public EtcdUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
