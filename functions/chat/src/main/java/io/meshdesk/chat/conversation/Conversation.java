package io.meshdesk.chat.conversation;

import java.time.Clock;
import java.util.concurrent.Executor;

import org.jboss.logging.Logger;

import io.meshdesk.chat.conversation.Refusal.Kind;
import io.meshdesk.chat.metrics.ChatMetrics;
import io.meshdesk.chat.relay.ChatLog;
import io.meshdesk.chat.relay.SessionDirectory;
import io.meshdesk.chat.relay.SessionDirectory.SessionInfo;
import io.meshdesk.chat.relay.SessionFeeds;
import io.meshdesk.chat.v1.ChannelPacket;
import io.meshdesk.chat.v1.Join;
import io.meshdesk.chat.v1.Role;
import io.meshdesk.chat.v1.SessionEvent;
import io.meshdesk.etcd.EtcdUnavailableException;
import io.meshdesk.etcd.StartupLoad;
import io.meshdesk.telemetry.LogFields;
import io.meshdesk.token.ParticipantRole;
import io.meshdesk.token.SessionClaims;

/**
 * One participant's stream in a session, independent of the transport: the one class a
 * transport drives. It checks what the participant sends, stores it in the session's log, and
 * delivers the log to the participant in order, gap-free, exactly once per seq.
 *
 * <p>The seam, for every transport (gRPC's {@code GrpcChatChannel}, a WebSocket face):
 * <ol>
 * <li>verify the bearer token, then {@code ChatInstance.open(claims, outbox)} with the transport's {@link Outbox};
 * <li>hand every inbound frame to {@link #receive} (the first must be a Join), one at a time,
 * from a thread that may block (a worker or virtual thread, never an event loop); a frame that
 * cannot be decoded goes in as {@link PacketRules#malformed};
 * <li>packets for the participant come out through {@link Outbox#offer}, and the end through
 * {@link Outbox#end}, exactly once;
 * <li>report the transport's own end (hang-up, lost connection, transport error, cancel) to
 * {@link #transportEnded} or, for a clean half-close, {@link #participantDone}.
 * </ol>
 * Every way a stream ends goes through {@link #end}: it runs once, leaves the session's feed,
 * lowers the streams gauge, records LEFT when the participant still belongs, and ends the outbox.
 *
 * <p>Threads: {@link #receive} runs on the transport's thread and may block on etcd. Watch
 * threads call {@link #live} and {@link #sessionChanged}, which never block; what goes out to
 * the participant, in log order, is {@link Delivery}'s, whose monitor also guards
 * {@code attached} and {@code budget} here (they change together with its end). {@code joined}
 * and {@code session} belong to the receiving thread (session is also replaced by
 * sessionChanged, hence volatile).
 */
public final class Conversation implements SessionFeeds.Subscriber {

    private static final Logger LOG = Logger.getLogger(Conversation.class);

    /** What the conversation needs from the chat instance that hosts it. */
    public record Context(
            ChatLog log,
            SessionFeeds feeds,
            SessionDirectory sessions,
            FirstResponses firstResponses,
            ChatMetrics metrics,
            ChatSettings settings,
            Clock clock,
            StartupLoad closuresWatch,
            ParticipantLimits limits,
            PacketRules rules,
            Executor work) {}

    private final Context ctx;
    private final SessionClaims claims;
    private final Outbox out;
    private final String sessionId;

    private boolean joined;
    private volatile SessionInfo session;

    private final Delivery delivery;
    // Guarded by delivery:
    private boolean attached;
    private ParticipantLimits.Budget budget;

    public Conversation(Context ctx, SessionClaims claims, Outbox out) {
        this.ctx = ctx;
        this.claims = claims;
        this.out = out;
        this.sessionId = claims.sessionId();
        this.delivery = new Delivery(ctx, out, sessionId, claims.participantId(), this::end);
    }

    /** A frame from the participant. Called for one stream at a time, in arrival order; may block. */
    public void receive(ChannelPacket frame) {
        if (isEnded()) {
            return;
        }
        try (LogFields f = LogFields.session(sessionId)) {
            ChannelPacket packet = ctx.rules().check(frame);
            if (LOG.isDebugEnabled()) {
                // What ops turn on from etcd to follow one conversation packet by packet.
                LOG.debugf(
                        "%s %s sent %s of %d bytes",
                        claims.role().claim(), claims.participantId(), describe(packet), frame.getSerializedSize());
            }
            if (!joined) {
                if (!packet.hasJoin()) {
                    throw new Refusal(
                            Kind.INVALID_ARGUMENT,
                            "the first packet on a stream must be a Join, not " + describe(packet));
                }
                join(packet);
                return;
            }
            switch (packet.getPayloadCase()) {
                case TEXT -> text(packet);
                case SIGNAL -> store(packet, "signal", null);
                case RECEIPT -> store(packet, "receipt", null);
                case TYPING -> {
                    admit(packet);
                    ctx.log().typing(sessionId, stamp(packet).setSeqNum(0).build());
                    ctx.metrics().message("typing");
                }
                case JOIN ->
                    throw new Refusal(
                            Kind.INVALID_ARGUMENT,
                            "this stream has joined already; " + "open a new stream to join again");
                default -> throw new Refusal(Kind.INVALID_ARGUMENT, "the packet carries no payload");
            }
        } catch (Refusal r) {
            end(Ending.refused(r));
        } catch (ChatLog.Full full) {
            end(Ending.refused(new Refusal(Kind.RESOURCE_EXHAUSTED, full.getMessage())));
        } catch (ChatLog.Busy busy) {
            end(Ending.refused(new Refusal(Kind.UNAVAILABLE, busy.getMessage())));
        } catch (EtcdUnavailableException unavailable) {
            end(Ending.refused(new Refusal(Kind.UNAVAILABLE, unavailable.getMessage())));
        } catch (RuntimeException e) {
            LOG.warnf(e, "a packet of %s in session %s failed", claims.participantId(), sessionId);
            end(Ending.refused(new Refusal(
                    Kind.UNAVAILABLE,
                    "the packet could not be handled (" + e.getMessage()
                            + "); reconnect with resume_after_seq and send it again")));
        }
    }

    private void join(ChannelPacket packet) {
        Join j = packet.getJoin();
        if (!packet.getSessionId().isEmpty() && !packet.getSessionId().equals(sessionId)) {
            throw new Refusal(
                    Kind.PERMISSION_DENIED,
                    "the session token is for session " + sessionId + ", not " + packet.getSessionId());
        }
        if (!j.getParticipantId().equals(claims.participantId())) {
            throw new Refusal(
                    Kind.PERMISSION_DENIED,
                    "the session token is for participant " + claims.participantId() + ", not " + j.getParticipantId());
        }
        Role expected = claims.role() == ParticipantRole.AGENT ? Role.AGENT : Role.CUSTOMER;
        if (j.getRole() != expected) {
            throw new Refusal(
                    Kind.PERMISSION_DENIED,
                    "the session token is for the " + claims.role().claim() + " of session " + sessionId
                            + ", not for a participant in role " + j.getRole());
        }
        // A stream joined before this instance watches sessions would not hear its session change.
        ctx.closuresWatch().await();
        SessionInfo found = ctx.sessions().find(sessionId);
        if (found == null) {
            throw new Refusal(Kind.NOT_FOUND, "session " + sessionId + " does not exist (any more)");
        }
        String refusal = found.refusalFor(claims);
        if (refusal != null) {
            throw new Refusal(Kind.PERMISSION_DENIED, refusal);
        }
        long last = ctx.log().lastSeq(sessionId);
        if (Long.compareUnsigned(j.getResumeAfterSeq(), last) > 0) {
            throw new Refusal(
                    Kind.OUT_OF_RANGE,
                    "resume_after_seq " + Long.toUnsignedString(j.getResumeAfterSeq())
                            + " is beyond the end of the log of session " + sessionId + " (its last seq is " + last
                            + "); resume after the last seq you received, or 0 for the whole conversation");
        }
        session = found;
        ParticipantLimits.Budget taken = ctx.limits().open(sessionId, claims.participantId());
        synchronized (delivery) {
            if (delivery.ended()) {
                ctx.limits().close(taken);
                return;
            }
            budget = taken;
            delivery.resumeAfter(j.getResumeAfterSeq());
        }
        joined = true;
        ctx.feeds().attach(sessionId, this);
        synchronized (delivery) {
            if (!delivery.ended()) {
                attached = true;
                ctx.metrics().streamOpened();
            }
        }
        if (!attached()) {
            // Ended while attaching (the participant left at once): end() could not detach it.
            ctx.feeds().detach(sessionId, this);
            return;
        }
        // The session may have changed between the read above and the feed hearing of changes.
        SessionInfo now = ctx.sessions().find(sessionId);
        sessionChanged(now == null ? found : now);
        if (isEnded()) {
            return;
        }
        LOG.infof(
                "%s %s joined session %s on this instance (resuming after %d of %d)",
                claims.role().claim(), claims.participantId(), sessionId, j.getResumeAfterSeq(), last);
        ctx.log()
                .append(sessionId, event(SessionEvent.Type.JOINED, claims.role().claim() + " joined"), null, false);
        delivery.catchUp();
    }

    private void text(ChannelPacket packet) {
        ChatLog.Appended appended = store(packet, "text", packet.getText().getClientMsgId());
        if (appended.duplicate()) {
            // A retry after a reconnect: acknowledge with the seq the first copy got.
            if (!out.offer(appended.packet())) {
                end(delivery.overflow());
            }
        } else if (claims.role() == ParticipantRole.AGENT) {
            ctx.firstResponses().agentAnswered(sessionId, session.channel().toString(), appended.packet());
        }
    }

    private ChatLog.Appended store(ChannelPacket packet, String kind, String clientMsgId) {
        admit(packet);
        ChatLog.Appended appended = ctx.log().append(sessionId, stamp(packet).build(), clientMsgId, true);
        if (!appended.duplicate()) {
            ctx.metrics().message(kind);
        }
        return appended;
    }

    private void admit(ChannelPacket packet) {
        if (session.closed()) {
            throw new Refusal(Kind.FAILED_PRECONDITION, "session " + sessionId + " is closed");
        }
        budget.admit(claims.participantId(), packet.getSerializedSize());
    }

    private ChannelPacket.Builder stamp(ChannelPacket packet) {
        return packet.toBuilder()
                .setSessionId(sessionId)
                .setSenderId(claims.participantId())
                .setTimestampMs(ctx.clock().millis());
    }

    private ChannelPacket event(SessionEvent.Type type, String detail) {
        return ChannelPacket.newBuilder()
                .setSessionId(sessionId)
                .setSenderId(claims.participantId())
                .setEvent(SessionEvent.newBuilder().setType(type).setDetail(detail))
                .build();
    }

    /** A packet from the session's feed, on a watch thread (never blocks). */
    @Override
    public void live(ChannelPacket packet) {
        delivery.live(packet);
    }

    /**
     * Routing changed the session (watch thread; never blocks): when it closed, or the participant
     * no longer belongs to it (re-assigned to another agent), the stream ends with PERMISSION_DENIED.
     */
    @Override
    public void sessionChanged(SessionInfo changed) {
        session = changed;
        String refusal = changed.refusalFor(claims);
        if (refusal == null) {
            return;
        }
        if (changed.closed()) {
            delivery.offerUnlessEnded(ChannelPacket.newBuilder()
                    .setSessionId(sessionId)
                    .setTimestampMs(ctx.clock().millis())
                    .setEvent(SessionEvent.newBuilder()
                            .setType(SessionEvent.Type.CLOSED)
                            .setDetail("routing closed the session"
                                    + (changed.outcome() == null ? "" : " (" + changed.outcome() + ")")))
                    .build());
        }
        end(Ending.refused(new Refusal(Kind.PERMISSION_DENIED, refusal)));
    }

    /** The participant finished sending (a clean half-close): the stream ends normally. */
    public void participantDone() {
        end(Ending.normal("the participant hung up"));
    }

    /** The transport ended on its own (connection lost, cancel, transport error): nothing more can be written. */
    public void transportEnded(String why) {
        end(Ending.transportGone(why));
    }

    /**
     * The one end path of a stream, whatever ended it; runs once. Never blocks: recording LEFT
     * goes to a worker.
     */
    public void end(Ending ending) {
        boolean wasAttached;
        ParticipantLimits.Budget held;
        synchronized (delivery) {
            if (!delivery.markEnded()) {
                return;
            }
            wasAttached = attached;
            held = budget;
        }
        out.end(ending);
        if (held != null) {
            ctx.limits().close(held);
        }
        if (!wasAttached) {
            return;
        }
        ctx.feeds().detach(sessionId, this);
        ctx.metrics().streamClosed();
        LOG.infof(
                "%s %s left session %s: %s%s",
                claims.role().claim(),
                claims.participantId(),
                sessionId,
                ending.status() == null ? "" : ending.status() + " ",
                ending.detail());
        SessionInfo s = session;
        if (s != null && s.refusalFor(claims) == null) {
            ctx.work().execute(() -> {
                try {
                    ctx.log()
                            .append(
                                    sessionId,
                                    event(SessionEvent.Type.LEFT, claims.role().claim() + " left"),
                                    null,
                                    false);
                } catch (RuntimeException e) {
                    LOG.debugf(e, "could not record that %s left session %s", claims.participantId(), sessionId);
                }
            });
        }
    }

    private boolean isEnded() {
        return delivery.ended();
    }

    private boolean attached() {
        synchronized (delivery) {
            return attached;
        }
    }

    private static String describe(ChannelPacket packet) {
        return packet.getPayloadCase() == ChannelPacket.PayloadCase.PAYLOAD_NOT_SET
                ? "an empty packet"
                : "a " + packet.getPayloadCase().name().toLowerCase() + " packet";
    }
}
