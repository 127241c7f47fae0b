package io.meshdesk.routing;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.meshdesk.etcd.BlockingEtcd;
import io.meshdesk.etcd.StartupLoad;
import io.meshdesk.events.KSinkEventSink;
import io.meshdesk.routing.audit.Audit;
import io.meshdesk.routing.lifecycle.ChatAccess;
import io.meshdesk.routing.lifecycle.SessionDesk;
import io.meshdesk.routing.metrics.RoutingMetrics;
import io.meshdesk.routing.presence.Presence;
import io.meshdesk.routing.session.Channel;
import io.meshdesk.routing.settings.RoutingConfig;
import io.meshdesk.routing.settings.RoutingSettings;
import io.meshdesk.routing.state.RegionView;
import io.meshdesk.telemetry.ShadowMode;
import io.meshdesk.token.SessionTokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/** Builds this process's routing instance from configuration and keeps its sweep running. */
@ApplicationScoped
public class RoutingProducer {

    @Produces
    @Singleton
    RoutingInstance routing(
            BlockingEtcd etcd,
            RoutingConfig config,
            KSinkEventSink sink,
            MeterRegistry registry,
            @ConfigProperty(name = "meshdesk.region", defaultValue = "cn-north") String region,
            @ConfigProperty(name = "meshdesk.session-token.secret") String tokenSecret,
            @ConfigProperty(name = "meshdesk.session-token.ttl", defaultValue = "15m") Duration tokenTtl) {
        Map<Channel, Integer> costs = new EnumMap<>(Channel.class);
        for (Channel c : Channel.values()) {
            costs.put(c, c == Channel.PHONE ? 100 : 25);
        }
        config.channelCost().forEach((name, cost) -> {
            try {
                costs.put(Channel.valueOf(name.toUpperCase(Locale.ROOT)), cost);
            } catch (IllegalArgumentException e) {
                // A configuration error: the start fails with it (it is no caller's 400).
                throw new IllegalArgumentException(
                        "meshdesk.routing.channel-cost names channel '" + name
                                + "', which does not exist; channels are web, app, miniprogram and phone",
                        e);
            }
        });
        RoutingSettings settings = new RoutingSettings(
                region,
                Map.copyOf(costs),
                config.preferredAgentWait(),
                config.agingAfter(),
                config.agentLeaseTtl(),
                config.closedRetention(),
                config.maxAttempts());
        return new RoutingInstance(
                etcd,
                settings,
                sink,
                new RoutingMetrics(registry, region),
                new SessionTokens(tokenSecret, tokenTtl, Clock.systemUTC()),
                Clock.systemUTC());
    }

    // The parts of the instance that the functions and routes use, so that they depend on those
    // parts rather than on the instance that wires them (the root package sits on the features).
    @Produces
    @Singleton
    RegionView view(RoutingInstance routing) {
        return routing.view();
    }

    @Produces
    @Singleton
    RoutingSettings settings(RoutingInstance routing) {
        return routing.settings();
    }

    @Produces
    @Singleton
    RoutingMetrics metrics(RoutingInstance routing) {
        return routing.metrics();
    }

    @Produces
    @Singleton
    Presence presence(RoutingInstance routing) {
        return routing.presence();
    }

    @Produces
    @Singleton
    SessionDesk sessions(RoutingInstance routing) {
        return routing.sessions();
    }

    @Produces
    @Singleton
    ChatAccess chatAccess(RoutingInstance routing) {
        return routing.chatAccess();
    }

    @Produces
    @Singleton
    Audit audit(RoutingInstance routing) {
        return routing.audit();
    }

    @Produces
    @Singleton
    StartupLoad regionViewLoad(RoutingInstance routing) {
        return routing.startupLoad();
    }

    void close(@Disposes RoutingInstance routing) {
        routing.close();
    }

    void startOnBoot(@Observes StartupEvent boot, RoutingInstance routing, ShadowMode shadow) {
        if (shadow.shadow()) {
            routing.shadow();
        }
        routing.start();
    }
}
