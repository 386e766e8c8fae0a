package com.emaileventhub.intake;

import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;

/**
 * The naming rule that ties fan-out to delivery: destination NAME is the route consuming
 * {@code direct:deliver-NAME} (routes/destinations/). Fan-out selects by that name, the delivery
 * engine starts one worker per such route.
 */
public final class DestinationRoutes {
    public static final String PREFIX = "deliver-";

    private DestinationRoutes() {
    }

    /** The destinations whose delivery route is in the context: direct:deliver-NAME gives NAME. */
    public static List<String> names(CamelContext context) {
        List<String> names = new ArrayList<>();
        for (Route route : context.getRoutes()) {
            String uri = route.getEndpoint().getEndpointUri();
            String path = uri.startsWith("direct://") ? uri.substring(9) : uri.startsWith("direct:") ? uri.substring(7) : null;
            if (path != null && path.startsWith(PREFIX)) {
                int q = path.indexOf('?');
                names.add(q < 0 ? path.substring(PREFIX.length()) : path.substring(PREFIX.length(), q));
            }
        }
        return names;
    }
}
