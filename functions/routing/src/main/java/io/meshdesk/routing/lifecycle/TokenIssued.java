package io.meshdesk.routing.lifecycle;

/** What {@code session-token} answers. */
public record TokenIssued(String token) {}
