package io.meshdesk.token;

import java.time.Instant;

/** What a valid session token says: this participant, in this role, may use this session until then. */
public record SessionClaims(String sessionId, String participantId, ParticipantRole role, Instant expiresAt) {}
