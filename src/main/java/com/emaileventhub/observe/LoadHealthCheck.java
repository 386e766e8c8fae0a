package com.emaileventhub.observe;

import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness only: DOWN while the hub sheds load (answers webhooks 503), so a load balancer sends them to
 * another instance. Whatever decides shedding publishes it as a {@link BooleanSupplier} bound in the Camel
 * registry under {@link #BEAN}; without one the hub never counts as shedding.
 */
public final class LoadHealthCheck extends AbstractHealthCheck {
    /** Registry name of the {@code BooleanSupplier} that answers "is the hub shedding load now?". */
    public static final String BEAN = "loadShedding";

    public LoadHealthCheck() {
        super("hub", "load");
    }

    @Override
    public boolean isLiveness() {
        // shedding is the process protecting itself, not a fault a restart would cure
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Object bound = getCamelContext().getRegistry().lookupByName(BEAN);
        if (bound == null) {
            builder.up();
        } else if (!(bound instanceof BooleanSupplier shedding)) {
            // Camel's bind(name, type, Supplier) stores the supplier's first answer, not the supplier
            builder.message("bean " + BEAN + " is a " + bound.getClass().getSimpleName() + ", not a BooleanSupplier").down();
        } else if (shedding.getAsBoolean()) {
            builder.message("shedding load: webhooks are answered 503 with Retry-After").down();
        } else {
            builder.up();
        }
    }
}
