package io.meshdesk.chat.websocket;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.google.protobuf.util.JsonFormat;

import io.meshdesk.chat.testing.Packets;
import io.meshdesk.chat.v1.ChannelPacket;
import io.meshdesk.chat.v1.Role;

import static org.awaitility.Awaitility.await;

/** What a browser does: a WebSocket offering the chat subprotocol and the token, JSON frames. */
final class BrowserSocket implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final WebSocket socket;
    private final List<ChannelPacket> received = new CopyOnWriteArrayList<>();
    private final List<String> frames = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private volatile String closeReason;

    BrowserSocket(int port, String... subprotocols) throws Exception {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
        if (subprotocols.length > 0) {
            builder.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        this.socket = builder.buildAsync(
                        URI.create("ws://127.0.0.1:" + port + WebSocketChatChannel.PATH), new WebSocket.Listener() {
                            private final StringBuilder partial = new StringBuilder();

                            @Override
                            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                                partial.append(data);
                                if (last) {
                                    String frame = partial.toString();
                                    partial.setLength(0);
                                    frames.add(frame);
                                    try {
                                        ChannelPacket.Builder p = ChannelPacket.newBuilder();
                                        JsonFormat.parser().merge(frame, p);
                                        received.add(p.build());
                                    } catch (Exception e) {
                                        throw new IllegalStateException("not a ChannelPacket: " + frame, e);
                                    }
                                }
                                ws.request(1);
                                return null;
                            }

                            @Override
                            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                                closeReason = reason;
                                closeCode.complete(statusCode);
                                return null;
                            }

                            @Override
                            public void onError(WebSocket ws, Throwable error) {
                                closeCode.completeExceptionally(error);
                            }
                        })
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    static BrowserSocket withToken(int port, String token) throws Exception {
        return new BrowserSocket(port, WebSocketChatChannel.SUBPROTOCOL, "bearer." + token);
    }

    String subprotocol() {
        return socket.getSubprotocol();
    }

    BrowserSocket sendFrame(String frame) {
        socket.sendText(frame, true).join();
        return this;
    }

    BrowserSocket send(ChannelPacket packet) throws Exception {
        return sendFrame(JsonFormat.printer().print(packet));
    }

    BrowserSocket join(String sessionId, String participantId, Role role, long resumeAfter) throws Exception {
        return send(Packets.join(sessionId, participantId, role, resumeAfter));
    }

    BrowserSocket text(String text, String clientMsgId) throws Exception {
        return send(Packets.text(text, clientMsgId));
    }

    List<ChannelPacket> received() {
        return List.copyOf(received);
    }

    List<String> frames() {
        return List.copyOf(frames);
    }

    List<ChannelPacket> texts() {
        return received.stream().filter(ChannelPacket::hasText).toList();
    }

    void awaitReceived(Predicate<List<ChannelPacket>> condition) {
        await().atMost(TIMEOUT).until(() -> condition.test(received()));
    }

    int awaitClose() throws Exception {
        return closeCode.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Whether the server has closed the socket (a refusal): nothing more can be sent. */
    boolean closed() {
        return closeCode.isDone();
    }

    String closeReason() {
        return closeReason;
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }
}
