package com.emaileventhub.observe;

import com.emaileventhub.destination.DestinationWorker;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A destination is DOWN when it refuses our configuration (credentials) or when it is stalled: its oldest
 * waiting event is older than hub.delivery.stalled-after, i.e. the backlog is not being worked off.
 * Intake keeps accepting webhooks either way, so this check is in the full report (/observe/health) only,
 * neither in /observe/health/ready nor in /observe/health/live.
 */
public final class DestinationHealthCheck extends AbstractHealthCheck {
    private final DestinationWorker worker;
    private final Duration stalledAfter;

    public DestinationHealthCheck(DestinationWorker worker, Duration stalledAfter) {
        super("hub", "destination-" + worker.destination());
        this.worker = worker;
        this.stalledAfter = stalledAfter;
    }

    @Override
    public boolean isLiveness() {
        // a broken destination is no reason to restart the hub
        return false;
    }

    @Override
    public boolean isReadiness() {
        // nor to take intake out of a load balancer: the events wait in the destination's queue
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            worker.refreshGauges(System.currentTimeMillis(), false);
        } catch (RuntimeException e) {
            builder.message("queue unreadable: " + e.getClass().getSimpleName()).down();
            return;
        }
        DestinationWorker.Status s = worker.status();
        builder.detail("backlog", s.backlog());
        builder.detail("oldest_pending_seconds", s.oldestPendingMillis() / 1000);
        if (s.lastError() != null) {
            builder.detail("last_error", s.lastError());
        }
        if (s.configurationError() != null) {
            builder.message(s.destination() + " refuses our configuration: " + s.configurationError()).down();
        } else if (s.backlog() > 0 && s.oldestPendingMillis() > stalledAfter.toMillis()) {
            builder.message(s.destination() + " is stalled: oldest event waiting " + s.oldestPendingMillis() / 1000
                    + " s, backlog " + s.backlog()).down();
        } else {
            builder.up();
        }
    }
}
