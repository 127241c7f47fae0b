package io.meshdesk.chat.conversation;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jboss.logging.Logger;

import io.meshdesk.telemetry.LogFields;
import org.jboss.logging.MDC;

import io.meshdesk.chat.ChatSettings;
import io.meshdesk.chat.conversation.Refusal.Kind;
import io.meshdesk.chat.metrics.ChatMetrics;
import io.meshdesk.chat.relay.ChatLog;
import io.meshdesk.chat.relay.SessionFeeds;
import io.meshdesk.chat.v1.ChannelPacket;
import io.meshdesk.chat.v1.Join;
import io.meshdesk.chat.v1.Role;
import io.meshdesk.chat.v1.SessionEvent;
import io.meshdesk.etcd.StartupLoad;
import io.meshdesk.problem.Problem;
import io.meshdesk.token.ParticipantRole;
import io.meshdesk.token.SessionClaims;

/**
 * One participant's stream in a session, independent of the transport (gRPC today, a
 * WebSocket later): checks what the participant sends, stores it in the session's log, and
 * delivers the log to the participant in order, gap-free, exactly once per seq.
 */
public final class Conversation implements SessionFeeds.Subscriber {

    private static final Logger LOG = Logger.getLogger(Conversation.class);

    /** What the conversation needs from the chat instance that hosts it. */
    public record Context(ChatLog log, SessionFeeds feeds, SessionDirectory sessions, FirstResponses firstResponses,
            ChatMetrics metrics, ChatSettings settings, Clock clock, StartupLoad closuresWatch) {
    }

    private final Context ctx;
    private final SessionClaims claims;
    private final Outbox out;
    private final Object delivery = new Object();
    private final List<ChannelPacket> pending = new ArrayList<>();

    private boolean joined;
    private boolean historyDone;
    private long lastDelivered;
    private volatile boolean ended;
    private SessionDirectory.SessionInfo session;
    private long windowStart;
    private int inWindow;

    public Conversation(Context ctx, SessionClaims claims, Outbox out) {
        this.ctx = ctx;
        this.claims = claims;
        this.out = out;
    }

    /** A packet from the participant. Called for one stream at a time, in arrival order. */
    public void receive(ChannelPacket packet) {
        if (ended) {
            return;
        }
        MDC.put("sessionId", claims.sessionId());
        try {
            if (!joined) {
                if (!packet.hasJoin()) {
                    throw new Refusal(Kind.INVALID_ARGUMENT, "the first packet on a stream must be a Join, not "
                            + describe(packet));
                }
                join(packet);
                return;
            }
            switch (packet.getPayloadCase()) {
                case TEXT -> text(packet);
                case SIGNAL -> store(packet, "signal", null);
                case RECEIPT -> store(packet, "receipt", null);
                case TYPING -> {
                    ctx.log().typing(claims.sessionId(), stamp(packet).setSeqNum(0).build());
                    ctx.metrics().message("typing");
                }
                case JOIN -> throw new Refusal(Kind.INVALID_ARGUMENT, "this stream has joined already; "
                        + "open a new stream to join again");
                case EVENT -> throw new Refusal(Kind.INVALID_ARGUMENT, "session events come from the server; "
                        + "a participant cannot send one");
                default -> throw new Refusal(Kind.INVALID_ARGUMENT, "the packet carries no payload");
            }
        } catch (Refusal r) {
            end(r);
        } catch (Problem p) {
            end(new Refusal(Kind.UNAVAILABLE, p.detail()));
        } finally {
            MDC.remove("sessionId");
        }
    }

    private void join(ChannelPacket packet) {
        Join j = packet.getJoin();
        if (!packet.getSessionId().isEmpty() && !packet.getSessionId().equals(claims.sessionId())) {
            throw new Refusal(Kind.PERMISSION_DENIED, "the session token is for session " + claims.sessionId()
                    + ", not " + packet.getSessionId());
        }
        if (!j.getParticipantId().equals(claims.participantId())) {
            throw new Refusal(Kind.PERMISSION_DENIED, "the session token is for participant " + claims.participantId()
                    + ", not " + j.getParticipantId());
        }
        Role expected = claims.role() == ParticipantRole.AGENT ? Role.AGENT : Role.CUSTOMER;
        if (j.getRole() != expected) {
            throw new Refusal(Kind.PERMISSION_DENIED, "the session token is for the " + claims.role().claim()
                    + " of session " + claims.sessionId() + ", not for a participant in role " + j.getRole());
        }
        // A stream joined before this instance watches closures would not hear its session close.
        ctx.closuresWatch().await();
        session = ctx.sessions().find(claims.sessionId());
        if (session == null) {
            throw new Refusal(Kind.NOT_FOUND, "session " + claims.sessionId() + " does not exist (any more)");
        }
        joined = true;
        ctx.metrics().streamOpened();
        ctx.feeds().attach(claims.sessionId(), this);
        List<ChannelPacket> history = ctx.log().readAfter(claims.sessionId(), j.getResumeAfterSeq());
        synchronized (delivery) {
            lastDelivered = j.getResumeAfterSeq();
            history.forEach(this::deliver);
            historyDone = true;
            new ArrayList<>(pending).forEach(this::deliver);
            pending.clear();
        }
        try (LogFields f = LogFields.session(claims.sessionId())) {
            LOG.infof("%s %s joined session %s on this instance (resuming after %d, %d stored packets sent)",
                    claims.role().claim(), claims.participantId(), claims.sessionId(), j.getResumeAfterSeq(),
                    history.size());
        }
        if (session.closed()) {
            sessionClosed("the session was closed before you joined");
            return;
        }
        ctx.log().append(claims.sessionId(), event(SessionEvent.Type.JOINED, claims.role().claim() + " joined"), null);
    }

    private void text(ChannelPacket packet) {
        int bytes = packet.getText().getText().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > ctx.settings().maxTextBytes()) {
            throw new Refusal(Kind.INVALID_ARGUMENT, "the text is " + bytes + " bytes; the limit is "
                    + ctx.settings().maxTextBytes() + " bytes per message");
        }
        ChatLog.Appended appended = store(packet, "text", packet.getText().getClientMsgId());
        if (appended.duplicate()) {
            // A retry after a reconnect: acknowledge with the seq the first copy got.
            out.send(appended.packet());
        } else if (claims.role() == ParticipantRole.AGENT) {
            ctx.firstResponses().agentAnswered(claims.sessionId(), session.channel(), appended.packet());
        }
    }

    private ChatLog.Appended store(ChannelPacket packet, String kind, String clientMsgId) {
        if (session.closed()) {
            throw new Refusal(Kind.FAILED_PRECONDITION, "session " + claims.sessionId() + " is closed");
        }
        admit();
        ChatLog.Appended appended = ctx.log().append(claims.sessionId(), stamp(packet).build(), clientMsgId);
        if (!appended.duplicate()) {
            ctx.metrics().message(kind);
        }
        return appended;
    }

    /** At most maxMessagesPerSecond per stream, counted in one-second windows. */
    private void admit() {
        long now = ctx.clock().millis();
        if (now - windowStart >= 1000) {
            windowStart = now;
            inWindow = 0;
        }
        if (++inWindow > ctx.settings().maxMessagesPerSecond()) {
            throw new Refusal(Kind.RESOURCE_EXHAUSTED, "more than " + ctx.settings().maxMessagesPerSecond()
                    + " messages a second from " + claims.participantId() + "; slow down and reconnect");
        }
    }

    private ChannelPacket.Builder stamp(ChannelPacket packet) {
        return packet.toBuilder().setSessionId(claims.sessionId()).setSenderId(claims.participantId())
                .setTimestampMs(ctx.clock().millis());
    }

    private ChannelPacket event(SessionEvent.Type type, String detail) {
        return ChannelPacket.newBuilder().setSessionId(claims.sessionId()).setSenderId(claims.participantId())
                .setEvent(SessionEvent.newBuilder().setType(type).setDetail(detail)).build();
    }

    @Override
    public void live(ChannelPacket packet) {
        synchronized (delivery) {
            if (!historyDone) {
                pending.add(packet);
            } else {
                deliver(packet);
            }
        }
    }

    /** Delivers in seq order: skips what was delivered, fills a gap from the log before going on. */
    private void deliver(ChannelPacket packet) {
        if (packet.getSeqNum() == 0) {
            if (!packet.getSenderId().equals(claims.participantId())) {
                out.send(packet);
            }
            return;
        }
        if (packet.getSeqNum() <= lastDelivered) {
            return;
        }
        if (packet.getSeqNum() > lastDelivered + 1) {
            for (ChannelPacket missed : ctx.log().readAfter(claims.sessionId(), lastDelivered)) {
                if (missed.getSeqNum() < packet.getSeqNum()) {
                    send(missed);
                }
            }
        }
        send(packet);
    }

    private void send(ChannelPacket packet) {
        lastDelivered = packet.getSeqNum();
        out.send(packet);
        if (!packet.getSenderId().equals(claims.participantId()) && packet.getTimestampMs() > 0) {
            ctx.metrics().delivered(Duration.ofMillis(Math.max(0, ctx.clock().millis() - packet.getTimestampMs())));
        }
    }

    @Override
    public void sessionClosed(String detail) {
        synchronized (delivery) {
            if (ended) {
                return;
            }
            ended = true;
            out.send(ChannelPacket.newBuilder().setSessionId(claims.sessionId())
                    .setTimestampMs(ctx.clock().millis())
                    .setEvent(SessionEvent.newBuilder().setType(SessionEvent.Type.CLOSED).setDetail(detail)).build());
            out.complete();
        }
        leave(false);
    }

    /** The participant ended the stream (or the connection dropped). */
    public void clientGone() {
        boolean say = !ended && joined;
        ended = true;
        leave(say);
    }

    private void end(Refusal refusal) {
        LOG.infof("ending the stream of %s in session %s: %s (%s)", claims.participantId(), claims.sessionId(),
                refusal.kind(), refusal.getMessage());
        ended = true;
        out.fail(refusal);
        leave(false);
    }

    private void leave(boolean announce) {
        if (!joined) {
            return;
        }
        joined = false;
        ctx.feeds().detach(claims.sessionId(), this);
        ctx.metrics().streamClosed();
        try (LogFields f = LogFields.session(claims.sessionId())) {
            LOG.infof("%s %s left session %s", claims.role().claim(), claims.participantId(), claims.sessionId());
        }
        if (announce && !session.closed()) {
            try {
                ctx.log().append(claims.sessionId(), event(SessionEvent.Type.LEFT, claims.role().claim() + " left"),
                        null);
            } catch (RuntimeException e) {
                LOG.debugf("could not record that %s left: %s", claims.participantId(), e.getMessage());
            }
        }
    }

    private static String describe(ChannelPacket packet) {
        return packet.getPayloadCase() == ChannelPacket.PayloadCase.PAYLOAD_NOT_SET ? "an empty packet"
                : "a " + packet.getPayloadCase().name().toLowerCase() + " packet";
    }
}
