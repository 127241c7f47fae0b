package io.meshdesk.chat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.grpc.Status;
import io.meshdesk.chat.conversation.ChatSettings;
import io.meshdesk.chat.testing.ChatConnection;
import io.meshdesk.chat.v1.ChannelPacket;
import io.meshdesk.chat.v1.Role;
import io.meshdesk.chat.v1.SessionEvent;
import io.meshdesk.events.EventSink;
import io.meshdesk.token.ParticipantRole;
import io.meshdesk.token.SessionTokens;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14, chat: a token is not enough. Chat checks the session's current customer and agent at
 * join and follows routing's changes: whoever no longer belongs is cut with PERMISSION_DENIED and
 * joins nothing; refusals never quote the token.
 */
@Timeout(120)
class ChatMembershipTest extends ChatOverEtcd {

    ChatNode node;
    String session;

    @BeforeEach
    void start() throws Exception {
        node = chat.node(ChatSettings.defaults("cn-north"), EventSink.NONE);
        session = ChatFixture.newSessionId();
        chat.putSession(session, "assigned", "cust", "agent-1");
    }

    @Test
    void sessionHijackATokenForSomeoneElsesSessionJoinsNothing() {
        ChatConnection customer = chat.connect(node, session, "cust", ParticipantRole.CUSTOMER, 0);
        customer.text("my card number is ...", "c-1");
        customer.awaitReceived(r -> r.stream().anyMatch(ChannelPacket::hasText));

        // A token routing issued for this session to someone who is not its customer.
        ChatConnection attacker = chat.connect(node, session, "attacker", ParticipantRole.CUSTOMER, 0);
        Status refused = attacker.awaitEnd();
        assertThat(refused.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(refused.getDescription()).contains("customer attacker is not the customer of session " + session);
        assertThat(attacker.received()).isEmpty();
    }

    @Test
    void staleAgentAReassignedAgentsStreamEndsWithPermissionDeniedAndItsTokenJoinsNothing() throws Exception {
        ChatConnection customer = chat.connect(node, session, "cust", ParticipantRole.CUSTOMER, 0);
        ChatConnection first = chat.connect(node, session, "agent-1", ParticipantRole.AGENT, 0);
        first.awaitReceived(r -> ChatFixture.events(first, "agent-1", SessionEvent.Type.JOINED) == 1);

        chat.putSession(session, "assigned", "cust", "agent-2");
        Status cut = first.awaitEnd();
        assertThat(cut.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(cut.getDescription()).contains("assigned to another agent, not to agent-1");

        ChatConnection again = chat.connect(node, session, "agent-1", ParticipantRole.AGENT, 0);
        assertThat(again.awaitEnd().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(again.received()).isEmpty();

        ChatConnection second = chat.connect(node, session, "agent-2", ParticipantRole.AGENT, 0);
        customer.text("are you there?", "c-2");
        second.awaitReceived(r ->
                r.stream().anyMatch(p -> p.hasText() && p.getText().getText().equals("are you there?")));
        assertThat(customer.end()).as("the customer still belongs").isNull();
    }

    @Test
    void aRequeuedSessionEndsTheAgentsStream() throws Exception {
        ChatConnection agent = chat.connect(node, session, "agent-1", ParticipantRole.AGENT, 0);
        agent.awaitReceived(r -> !r.isEmpty());
        chat.putSession(session, "queued", "cust", null);
        Status cut = agent.awaitEnd();
        assertThat(cut.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(cut.getDescription()).contains("is queued, not assigned to agent agent-1");
    }

    @Test
    void refusalsNeverEchoTheSubmittedToken() {
        String forged = new SessionTokens(ChatNode.SECRET + "-forged", Duration.ofMinutes(5), Clock.systemUTC())
                .issue(session, "cust", ParticipantRole.CUSTOMER);
        String expired = new SessionTokens(
                        ChatNode.SECRET,
                        Duration.ofMinutes(1),
                        Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC))
                .issue(session, "cust", ParticipantRole.CUSTOMER);
        String garbage = "not.a-jwt." + "A".repeat(40);
        String oversized = "x".repeat(9000);
        for (String token : new String[] {forged, expired, garbage, oversized}) {
            try (ChatConnection c = new ChatConnection(node.port(), token)) {
                c.join(session, "cust", Role.CUSTOMER, 0);
                Status s = c.awaitEnd();
                assertThat(s.getCode()).isIn(Status.Code.UNAUTHENTICATED, Status.Code.PERMISSION_DENIED);
                assertThat(s.getDescription()).contains("ask routing").doesNotContain(token);
                Arrays.stream(token.split("\\."))
                        .filter(part -> part.length() > 8)
                        .forEach(part -> assertThat(s.getDescription()).doesNotContain(part));
            }
        }
    }
}
