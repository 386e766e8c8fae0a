package com.emaileventhub;

import com.emaileventhub.config.HubConfig;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;

/** java -jar target/email-event-hub.jar */
public final class HubApp {
    private HubApp() {
    }

    public static void main(String[] args) throws Exception {
        Hub hub;
        try {
            HubConfig config = HubConfig.load(Map.of());
            Logging.format(config);
            hub = new Hub(config);
        } catch (IllegalArgumentException e) {
            // a bad configuration value: the message names the key, never the value
            System.err.println("Email Event Hub cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            hub.run();
        } catch (FailedToCreateRouteException e) {
            // a mistake in a route file: one line naming the file, the route and what is wrong, not a stack trace
            System.err.println("Email Event Hub cannot start: " + describe(e, hub.context(), hub.routes()));
            System.exit(2);
        }
    }

    static String describe(FailedToCreateRouteException e, CamelContext context, RouteFiles files) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String file = null;
        Model model = context == null ? null : context.getCamelContextExtension().getContextPlugin(Model.class);
        RouteDefinition route = model == null ? null : model.getRouteDefinition(e.getRouteId());
        if (route != null && route.getResource() != null) {
            file = route.getResource().getLocation();
        }
        if (file == null) {
            file = files.locate(e.getRouteId());
        }
        return (file == null ? "" : file + ": ") + "route " + e.getRouteId() + ": " + root.getMessage();
    }
}
