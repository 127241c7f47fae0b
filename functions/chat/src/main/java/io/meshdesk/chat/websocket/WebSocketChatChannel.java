package io.meshdesk.chat.websocket;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.meshdesk.chat.ChatInstance;
import io.meshdesk.chat.conversation.Conversation;
import io.meshdesk.chat.conversation.Refusal;
import io.meshdesk.token.SessionClaims;
import io.meshdesk.token.SessionTokens;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.Blocking;

/**
 * The browser face of chat, beside gRPC on the same HTTP port, plugged into the same transport
 * seam ({@code io.meshdesk.chat.conversation}): one {@link Conversation} per socket, so tokens,
 * ordering, resume, receipts, typing, limits and retries are the gRPC path's own. Frames are
 * {@code ChannelPacket}s in proto3 JSON, the first one a Join.
 *
 * <p>Browsers cannot set headers on a WebSocket, and a token in the URL ends up in access logs,
 * so the session token travels as a subprotocol: the page offers
 * {@code ["meshdesk.chat.v1", "bearer.<token>"]} and the server accepts {@code meshdesk.chat.v1}
 * (the Kubernetes API server carries its bearer tokens the same way). Nothing here logs it.
 */
@WebSocket(path = WebSocketChatChannel.PATH)
public class WebSocketChatChannel {

    public static final String PATH = "/chat/v1/connect";
    public static final String SUBPROTOCOL = "meshdesk.chat.v1";
    static final String TOKEN_PREFIX = "bearer.";

    private final ChatInstance chat;
    private final SessionTokens tokens;
    /** One conversation per open socket, by connection id; written on open, removed on close. */
    private final Map<String, Conversation> conversations = new ConcurrentHashMap<>();

    public WebSocketChatChannel(ChatInstance chat, SessionTokens tokens) {
        this.chat = chat;
        this.tokens = tokens;
    }

    @OnOpen
    void open(WebSocketConnection connection) {
        SessionClaims claims;
        try {
            claims = tokens.verify(token(connection));
        } catch (SessionTokens.InvalidToken e) {
            // The verifier's message can quote the token's claims: say what to do, never what was sent.
            refuse(
                    connection,
                    e.expired()
                            ? new Refusal(
                                    Refusal.Kind.PERMISSION_DENIED,
                                    "the session token expired; ask routing for a new " + "one (session-token)")
                            : new Refusal(
                                    Refusal.Kind.UNAUTHENTICATED,
                                    "the session token is not valid; ask routing for a "
                                            + "new one (session-route or session-token)"));
            return;
        } catch (Refusal r) {
            refuse(connection, r);
            return;
        }
        WebSocketOutbox outbox = new WebSocketOutbox(connection, chat.settings().outboundBufferBytes());
        Conversation conversation = chat.open(claims, outbox);
        outbox.onGone(() -> conversation.transportEnded("the socket closed under a write"));
        conversations.put(connection.id(), conversation);
    }

    /** Serial per socket (the default inbound mode), on a worker: a conversation writes to etcd. */
    @OnTextMessage
    @Blocking
    void receive(WebSocketConnection connection, String frame) {
        Conversation conversation = conversations.get(connection.id());
        if (conversation == null) {
            return;
        }
        conversation.receive(PacketJson.parse(frame));
    }

    @OnError
    void error(WebSocketConnection connection, Throwable failure) {
        Conversation conversation = conversations.remove(connection.id());
        if (conversation != null) {
            conversation.transportEnded("WebSocket error: " + failure.getClass().getSimpleName());
        }
    }

    /** A close frame from the page (1000: it hung up) or a lost connection: the conversation's one end path. */
    @OnClose
    void close(WebSocketConnection connection, CloseReason reason) {
        Conversation conversation = conversations.remove(connection.id());
        if (conversation == null) {
            return;
        }
        if (reason != null && reason.getCode() == CloseReason.NORMAL.getCode()) {
            conversation.participantDone();
        } else {
            conversation.transportEnded("the socket closed (" + (reason == null ? "no code" : reason.getCode()) + ")");
        }
    }

    private static void refuse(WebSocketConnection connection, Refusal refusal) {
        connection.close(CloseCodes.of(refusal)).subscribe().with(ok -> {}, failure -> {});
    }

    private static String token(WebSocketConnection connection) {
        String offered = connection.handshakeRequest().header("Sec-WebSocket-Protocol");
        if (offered != null) {
            for (String protocol : offered.split(",")) {
                String p = protocol.trim();
                if (p.regionMatches(true, 0, TOKEN_PREFIX, 0, TOKEN_PREFIX.length())) {
                    return p.substring(TOKEN_PREFIX.length());
                }
            }
        }
        throw new Refusal(
                Refusal.Kind.UNAUTHENTICATED,
                "no session token: offer the subprotocols '" + SUBPROTOCOL
                        + "' and 'bearer.<token>' with the token from routing (session-route or session-token)");
    }
}
