package io.meshdesk.routing.session;

/** What {@code session-token} answers. */
public record TokenIssued(String token) {}
