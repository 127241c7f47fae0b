package io.meshdesk.chat.grpc;

import jakarta.enterprise.context.ApplicationScoped;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.meshdesk.token.SessionClaims;
import io.meshdesk.token.SessionTokens;
import io.quarkus.grpc.GlobalInterceptor;

/**
 * Checks the session token in {@code authorization: Bearer <token>} before a stream starts and
 * hands its claims to the service. No token, a forged one or an oversized header: UNAUTHENTICATED;
 * an expired one: PERMISSION_DENIED. Refusals never quote the token. Whether the claims fit the
 * Join, and the session's current customer and agent, is the conversation's check.
 */
@ApplicationScoped
@GlobalInterceptor
public class SessionAuthInterceptor implements ServerInterceptor {

    static final Context.Key<SessionClaims> CLAIMS = Context.key("meshdesk-session-claims");
    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    /** Longest authorization header read; a session token is a few hundred characters. */
    static final int MAX_HEADER_CHARS = 8192;

    private final SessionTokens tokens;

    public SessionAuthInterceptor(SessionTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String header = headers.get(AUTHORIZATION);
        if (header != null && header.length() > MAX_HEADER_CHARS) {
            // Refused for this call only: the HTTP/2 connection and its other streams go on.
            return refuse(
                    call,
                    Status.UNAUTHENTICATED.withDescription("the authorization header is "
                            + header.length() + " characters; a session token from routing is far shorter (at most "
                            + MAX_HEADER_CHARS + "): ask routing for a token (session-route or session-token) and send "
                            + "'authorization: Bearer <token>'"));
        }
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return refuse(
                    call,
                    Status.UNAUTHENTICATED.withDescription(
                            "no session token: send call metadata "
                                    + "'authorization: Bearer <token>' with the token from routing (session-route or session-token)"));
        }
        try {
            SessionClaims claims = tokens.verify(header.substring(7).trim());
            return Contexts.interceptCall(Context.current().withValue(CLAIMS, claims), call, headers, next);
        } catch (SessionTokens.InvalidToken e) {
            // The verifier's own message can quote the token's claims: say what to do, never what was sent.
            return refuse(
                    call,
                    e.expired()
                            ? Status.PERMISSION_DENIED.withDescription(
                                    "the session token expired; ask routing for a new one " + "(session-token)")
                            : Status.UNAUTHENTICATED.withDescription("the session token is not valid (malformed, "
                                    + "not signed by routing, or lacking the session, participant or role claim); ask routing "
                                    + "for a new one (session-route or session-token)"));
        }
    }

    private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status) {
        call.close(status, new Metadata());
        return new ServerCall.Listener<>() {};
    }
}
