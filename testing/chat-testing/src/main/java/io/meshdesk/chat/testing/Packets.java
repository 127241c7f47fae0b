package io.meshdesk.chat.testing;

import io.meshdesk.chat.v1.CallSignal;
import io.meshdesk.chat.v1.ChannelPacket;
import io.meshdesk.chat.v1.Join;
import io.meshdesk.chat.v1.Receipt;
import io.meshdesk.chat.v1.Role;
import io.meshdesk.chat.v1.TextMessage;
import io.meshdesk.chat.v1.Typing;

/** The packets a participant sends, built one way for every client (gRPC, a browser's socket). */
public final class Packets {

    private Packets() {}

    public static ChannelPacket join(String sessionId, String participantId, Role role, long resumeAfter) {
        return ChannelPacket.newBuilder()
                .setSessionId(sessionId)
                .setJoin(Join.newBuilder()
                        .setParticipantId(participantId)
                        .setRole(role)
                        .setResumeAfterSeq(resumeAfter))
                .build();
    }

    public static ChannelPacket text(String text, String clientMsgId) {
        return ChannelPacket.newBuilder()
                .setText(TextMessage.newBuilder().setText(text).setClientMsgId(clientMsgId))
                .build();
    }

    public static ChannelPacket signal(CallSignal.Type type, String payload) {
        return ChannelPacket.newBuilder()
                .setSignal(CallSignal.newBuilder().setType(type).setPayload(payload))
                .build();
    }

    public static ChannelPacket receipt(long readUpToSeq) {
        return ChannelPacket.newBuilder()
                .setReceipt(Receipt.newBuilder().setReadUpToSeq(readUpToSeq))
                .build();
    }

    public static ChannelPacket typing(boolean typing) {
        return ChannelPacket.newBuilder()
                .setTyping(Typing.newBuilder().setTyping(typing))
                .build();
    }
}
