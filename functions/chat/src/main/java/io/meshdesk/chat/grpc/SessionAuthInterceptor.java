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
 * hands its claims to the service. No token or a forged one: UNAUTHENTICATED; an expired one:
 * PERMISSION_DENIED. Whether the claims fit the Join is the conversation's check.
 */
@ApplicationScoped
@GlobalInterceptor
public class SessionAuthInterceptor implements ServerInterceptor {

    static final Context.Key<SessionClaims> CLAIMS = Context.key("meshdesk-session-claims");
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final SessionTokens tokens;

    public SessionAuthInterceptor(SessionTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String header = headers.get(AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            call.close(Status.UNAUTHENTICATED.withDescription("no session token: send call metadata "
                    + "'authorization: Bearer <token>' with the token from routing (session-route or session-token)"),
                    new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        try {
            SessionClaims claims = tokens.verify(header.substring(7).trim());
            return Contexts.interceptCall(Context.current().withValue(CLAIMS, claims), call, headers, next);
        } catch (SessionTokens.InvalidToken e) {
            call.close((e.expired() ? Status.PERMISSION_DENIED : Status.UNAUTHENTICATED).withDescription(e.getMessage()),
                    new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
    }
}
