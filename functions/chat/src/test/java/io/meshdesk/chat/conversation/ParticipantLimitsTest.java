package io.meshdesk.chat.conversation;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The per-participant rate limits on a clock the test moves: what passes, what is refused. */
@Timeout(10)
class ParticipantLimitsTest {

    final AtomicLong now = new AtomicLong(1_000_000);
    final ParticipantLimits limits = new ParticipantLimits(ChatSettings.defaults("cn-north"), now::get);

    @Test
    void anHonestSenderWhosePacketsAreHandledInBunchesIsNotCut() {
        // Regression: 15 a second, the first second's batch handled late (at 0.0 s) and the next
        // one early (at 0.95 s). Counted in fixed one-second windows that is 30 in one window, and
        // the sender was cut; it never sent more than 15 in any second.
        ParticipantLimits.Budget budget = limits.open("s-1", "cust");
        for (int second = 0; second < 5; second++) {
            now.set(1_000_000 + second * 950L);
            for (int i = 0; i < 15; i++) {
                budget.admit("cust", 100);
            }
        }
    }

    @Test
    void aBurstOfMoreThanOneSecondsWorthIsRefusedAtTheTwentyFirstPacket() {
        ParticipantLimits.Budget budget = limits.open("s-1", "cust");
        for (int i = 0; i < 20; i++) {
            budget.admit("cust", 100);
        }
        assertThatThrownBy(() -> budget.admit("cust", 100))
                .isInstanceOf(Refusal.class)
                .hasMessageContaining("more than 20 messages a second from cust");
        now.addAndGet(50);
        budget.admit("cust", 100);
        assertThatThrownBy(() -> budget.admit("cust", 100))
                .as("50 ms refill one packet's worth at 20 a second")
                .isInstanceOf(Refusal.class);
    }

    @Test
    void bytesAreBucketedLikePackets() {
        ParticipantLimits.Budget budget = limits.open("s-1", "cust");
        for (int i = 0; i < 6; i++) {
            budget.admit("cust", 20 * 1024);
        }
        assertThatThrownBy(() -> budget.admit("cust", 20 * 1024))
                .isInstanceOf(Refusal.class)
                .hasMessageContaining("more than 131072 bytes a second from cust");
        now.addAndGet(1000);
        budget.admit("cust", 20 * 1024);
    }

    @Test
    void streamsOfOneParticipantShareOneBudgetAndOtherParticipantsHaveTheirOwn() {
        ParticipantLimits.Budget first = limits.open("s-1", "cust");
        ParticipantLimits.Budget second = limits.open("s-1", "cust");
        ParticipantLimits.Budget agent = limits.open("s-1", "agent");
        ParticipantLimits.Budget elsewhere = limits.open("s-2", "cust");
        assertThat(second).isSameAs(first);
        for (int i = 0; i < 10; i++) {
            first.admit("cust", 100);
            second.admit("cust", 100);
        }
        assertThatThrownBy(() -> first.admit("cust", 100)).isInstanceOf(Refusal.class);
        for (int i = 0; i < 20; i++) {
            agent.admit("agent", 100);
            elsewhere.admit("cust", 100);
        }
        limits.close(first);
        limits.close(second);
        assertThat(limits.open("s-1", "cust"))
                .as("the counters go with the participant's last stream")
                .isNotSameAs(first);
    }
}
