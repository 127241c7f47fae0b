package io.meshdesk.chat;

import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.meshdesk.chat.conversation.ChatSettings;
import io.meshdesk.chat.metrics.ChatMetrics;
import io.meshdesk.etcd.BlockingEtcd;
import io.meshdesk.etcd.StartupLoad;
import io.meshdesk.events.KSinkEventSink;
import io.meshdesk.token.SessionTokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/** Builds this process's chat instance and the token checker from configuration. */
@ApplicationScoped
public class ChatProducer {

    @Produces
    @Singleton
    ChatInstance chat(
            BlockingEtcd etcd,
            ChatConfig config,
            KSinkEventSink sink,
            MeterRegistry registry,
            @ConfigProperty(name = "meshdesk.region", defaultValue = "cn-north") String region) {
        ChatSettings settings = new ChatSettings(
                region,
                config.maxTextBytes(),
                config.maxMessagesPerSecond(),
                config.outboundBufferBytes(),
                config.retention(),
                config.maxPacketBytes(),
                config.maxSignalBytes(),
                config.maxClientMsgIdBytes(),
                config.maxBytesPerSecond(),
                config.maxSessionBytes(),
                config.maxStreamsPerParticipant(),
                new ChatSettings.Handover(
                        config.handoverInitialBackoff(),
                        config.handoverMaxBackoff(),
                        config.handoverSweepInterval(),
                        config.handoverAttemptTimeout()));
        return new ChatInstance(etcd, settings, sink, new ChatMetrics(registry, region), Clock.systemUTC());
    }

    @Produces
    @Singleton
    SessionTokens tokens(@ConfigProperty(name = "meshdesk.session-token.secret") String secret) {
        // Chat only checks tokens; the TTL is routing's to choose.
        return new SessionTokens(secret, Duration.ZERO, Clock.systemUTC());
    }

    @Produces
    @Singleton
    StartupLoad closuresWatch(ChatInstance chat) {
        return chat.startupLoad();
    }

    void close(@Disposes ChatInstance chat) {
        chat.close();
    }

    void startOnBoot(@Observes StartupEvent boot, ChatInstance chat) {
        chat.start();
    }
}
