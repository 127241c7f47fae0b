package io.meshdesk.chat;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.grpc.Status;
import io.meshdesk.chat.conversation.ChatSettings;
import io.meshdesk.chat.testing.ChatConnection;
import io.meshdesk.chat.testing.Packets;
import io.meshdesk.chat.v1.CallSignal;
import io.meshdesk.chat.v1.ChannelPacket;
import io.meshdesk.chat.v1.SessionEvent;
import io.meshdesk.events.EventSink;
import io.meshdesk.token.ParticipantRole;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * WebRTC call signalling and read receipts between a customer on one chat instance and the agent
 * on another: each is stored in the session's log and reaches the other participant in the order
 * it was sent, with its sender; a signal is bounded like every other packet.
 */
@Timeout(60)
class ChatSignalsAndReceiptsTest extends ChatOverEtcd {

    ChatNode customerSide;
    ChatNode agentSide;
    String session;
    ChatConnection customer;
    ChatConnection agent;

    @BeforeEach
    void bothJoin() throws Exception {
        customerSide = chat.node(ChatSettings.defaults("cn-north"), EventSink.NONE);
        agentSide = chat.node(ChatSettings.defaults("cn-north"), EventSink.NONE);
        session = ChatFixture.newSessionId();
        chat.putSession(session, "assigned", "cust", "agent");
        customer = chat.connect(customerSide, session, "cust", ParticipantRole.CUSTOMER, 0);
        agent = chat.connect(agentSide, session, "agent", ParticipantRole.AGENT, 0);
        customer.awaitReceived(r -> ChatFixture.events(customer, "agent", SessionEvent.Type.JOINED) == 1);
    }

    static ChannelPacket signal(CallSignal.Type type, String payload) {
        return Packets.signal(type, payload);
    }

    static ChannelPacket firstReceipt(ChatConnection c) {
        c.awaitReceived(r -> r.stream().anyMatch(ChannelPacket::hasReceipt));
        return c.received().stream()
                .filter(ChannelPacket::hasReceipt)
                .findFirst()
                .orElseThrow();
    }

    static List<ChannelPacket> signals(ChatConnection c) {
        return c.received().stream().filter(ChannelPacket::hasSignal).toList();
    }

    @Test
    void offerAnswerAndIceCandidatesReachTheOtherParticipantInTheOrderSent() {
        customer.send(signal(CallSignal.Type.OFFER, "v=0 offer-sdp"));
        customer.send(signal(CallSignal.Type.ICE_CANDIDATE, "candidate:1 customer"));
        customer.send(signal(CallSignal.Type.ICE_CANDIDATE, "candidate:2 customer"));
        agent.awaitReceived(r -> r.stream().filter(ChannelPacket::hasSignal).count() == 3);
        agent.send(signal(CallSignal.Type.ANSWER, "v=0 answer-sdp"));
        agent.send(signal(CallSignal.Type.ICE_CANDIDATE, "candidate:1 agent"));
        agent.send(signal(CallSignal.Type.HANGUP, ""));
        customer.awaitReceived(r -> r.stream().filter(ChannelPacket::hasSignal).count() == 6);
        agent.awaitReceived(r -> r.stream().filter(ChannelPacket::hasSignal).count() == 6);

        Object[][] call = {
            {"cust", CallSignal.Type.OFFER, "v=0 offer-sdp"},
            {"cust", CallSignal.Type.ICE_CANDIDATE, "candidate:1 customer"},
            {"cust", CallSignal.Type.ICE_CANDIDATE, "candidate:2 customer"},
            {"agent", CallSignal.Type.ANSWER, "v=0 answer-sdp"},
            {"agent", CallSignal.Type.ICE_CANDIDATE, "candidate:1 agent"},
            {"agent", CallSignal.Type.HANGUP, ""}
        };
        for (ChatConnection side : List.of(customer, agent)) {
            assertThat(signals(side))
                    .extracting(
                            ChannelPacket::getSenderId,
                            p -> p.getSignal().getType(),
                            p -> p.getSignal().getPayload())
                    .containsExactly(java.util.Arrays.stream(call)
                            .map(row -> tuple(row))
                            .toArray(org.assertj.core.groups.Tuple[]::new));
            assertThat(signals(side))
                    .extracting(ChannelPacket::getSeqNum)
                    .isSorted()
                    .doesNotContain(0L);
        }
        assertThat(signals(customer))
                .as("both participants see the same stored signals")
                .isEqualTo(signals(agent));
    }

    @Test
    void aSignalAtItsLimitIsRelayedAndOneByteMoreIsRefusedNamingThePayload() {
        String atLimit = "a".repeat(16 * 1024);
        customer.send(signal(CallSignal.Type.OFFER, atLimit));
        agent.awaitReceived(r -> r.stream().anyMatch(ChannelPacket::hasSignal));
        assertThat(signals(agent).get(0).getSignal().getPayload()).isEqualTo(atLimit);

        customer.send(signal(CallSignal.Type.OFFER, atLimit + "a"));
        Status refused = customer.awaitEnd();
        assertThat(refused.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(refused.getDescription()).contains("call signal payload is 16385 bytes; the limit is 16384");
        assertThat(agent.end()).as("the other participant's stream goes on").isNull();
    }

    @Test
    void aSignalOfNoKnownTypeIsRefusedAndNotRelayed() {
        customer.send(ChannelPacket.newBuilder()
                .setSignal(CallSignal.newBuilder().setTypeValue(42).setPayload("?"))
                .build());
        Status refused = customer.awaitEnd();
        assertThat(refused.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(refused.getDescription()).contains("call signal type 42 is not one of OFFER, ANSWER");
        // A text sent after the refusal arrives, and no signal came before it.
        ChatConnection again =
                chat.connect(customerSide, session, "cust", ParticipantRole.CUSTOMER, customer.lastSeq());
        again.text("after the bad signal", "after-1");
        agent.awaitReceived(r -> r.stream().anyMatch(ChannelPacket::hasText));
        assertThat(agent.received()).noneMatch(ChannelPacket::hasSignal);
    }

    @Test
    void aReadReceiptTellsTheSenderHowFarTheOtherSideHasRead() {
        customer.text("is my order on its way?", "q-1");
        customer.text("it was due yesterday", "q-2");
        agent.awaitReceived(r -> r.stream().filter(ChannelPacket::hasText).count() == 2);
        // Delivered: the agent holds both texts, with the seqs the customer's acknowledgements carry.
        List<Long> deliveredSeqs =
                agent.texts().stream().map(ChannelPacket::getSeqNum).toList();
        customer.awaitReceived(r -> r.stream().filter(ChannelPacket::hasText).count() == 2);
        assertThat(customer.texts()).extracting(ChannelPacket::getSeqNum).isEqualTo(deliveredSeqs);

        long lastRead = deliveredSeqs.get(1);
        agent.send(Packets.receipt(lastRead));
        ChannelPacket seen = firstReceipt(customer);
        assertThat(seen.getSenderId()).isEqualTo("agent");
        assertThat(seen.getReceipt().getReadUpToSeq()).isEqualTo(lastRead);
        assertThat(seen.getSeqNum()).as("stored after what it reports as read").isGreaterThan(lastRead);
        assertThat(seen.getTimestampMs()).isPositive();

        // The reader gets its own receipt back as the acknowledgement, like any stored packet.
        agent.awaitReceived(r -> r.stream().anyMatch(ChannelPacket::hasReceipt));
        assertThat(agent.received().stream().filter(ChannelPacket::hasReceipt).toList())
                .containsExactly(seen);
    }

    @Test
    void receiptsAreKeptInTheLogSoAReconnectingSenderLearnsWhatWasReadWhileItWasAway() {
        customer.text("hello?", "h-1");
        agent.awaitReceived(r -> r.stream().anyMatch(ChannelPacket::hasText));
        long textSeq = agent.texts().get(0).getSeqNum();
        customer.awaitReceived(r -> r.stream().anyMatch(ChannelPacket::hasText));
        long resumeAfter = customer.lastSeq();
        customer.hangUp();
        customer.awaitEnd();

        agent.send(Packets.receipt(textSeq));
        agent.awaitReceived(r -> r.stream().anyMatch(ChannelPacket::hasReceipt));
        ChatConnection back = chat.connect(customerSide, session, "cust", ParticipantRole.CUSTOMER, resumeAfter);
        ChannelPacket seen = firstReceipt(back);
        assertThat(seen.getSenderId()).isEqualTo("agent");
        assertThat(seen.getReceipt().getReadUpToSeq()).isEqualTo(textSeq);
    }
}
