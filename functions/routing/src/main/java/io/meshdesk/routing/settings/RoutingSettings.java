package io.meshdesk.routing.settings;

import java.time.Duration;
import java.util.Map;

import io.meshdesk.routing.session.Channel;

/**
 * The numbers the routing rules use. Each comes from configuration ({@link RoutingConfig});
 * tests build their own with short times.
 */
public record RoutingSettings(
        String region,
        Map<Channel, Integer> channelCost,
        Duration preferredAgentWait,
        Duration agingAfter,
        Duration agentLeaseTtl,
        Duration closedRetention,
        int maxAttempts) {

    public int cost(Channel channel) {
        return channelCost.getOrDefault(channel, 25);
    }

    public static RoutingSettings defaults(String region) {
        return new RoutingSettings(
                region,
                Map.of(Channel.PHONE, 100, Channel.WEB, 25, Channel.APP, 25, Channel.MINIPROGRAM, 25),
                Duration.ofSeconds(15),
                Duration.ofSeconds(60),
                Duration.ofSeconds(20),
                Duration.ofHours(24),
                16);
    }

    public RoutingSettings withTimes(Duration preferredWait, Duration aging, Duration leaseTtl) {
        return new RoutingSettings(region, channelCost, preferredWait, aging, leaseTtl, closedRetention, maxAttempts);
    }
}
