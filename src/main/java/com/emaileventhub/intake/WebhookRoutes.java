package com.emaileventhub.intake;

import com.emaileventhub.esp.WebhookContract;
import com.emaileventhub.esp.WebhookContracts;
import com.emaileventhub.webhook.VendorSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;

/**
 * The webhook routes a context runs (ids webhook-VENDOR, instances of either intake template), each with its
 * path, methods and contract. A vendor switched off (hub.esp.VENDOR.enabled=false) answers 404 and is left out.
 */
public final class WebhookRoutes {
    private static final String ID_PREFIX = "webhook-";

    /** One running webhook route. */
    public record WebhookRoute(String vendor, String path, List<String> methods, WebhookContract contract) {
    }

    private WebhookRoutes() {
    }

    /** The running webhook routes of enabled vendors, by vendor name. */
    public static List<WebhookRoute> running(CamelContext context, Function<String, VendorSettings> settings) {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        List<WebhookRoute> routes = new ArrayList<>();
        for (Route route : context.getRoutes()) {
            String id = route.getRouteId();
            if (!id.startsWith(ID_PREFIX) || !(route.getEndpoint() instanceof PlatformHttpEndpoint endpoint)) {
                continue;
            }
            String vendor = id.substring(ID_PREFIX.length());
            if (!settings.apply(vendor).enabled()) {
                continue;
            }
            List<String> methods = endpoint.getHttpMethodRestrict() == null ? List.of("POST")
                    : Arrays.stream(endpoint.getHttpMethodRestrict().split(",")).map(String::trim).toList();
            routes.add(new WebhookRoute(vendor, endpoint.getPath(), methods,
                    WebhookContracts.of(parameters(model == null ? null : model.getRouteDefinition(id)))));
        }
        routes.sort(Comparator.comparing(WebhookRoute::vendor));
        return routes;
    }

    private static Map<String, String> parameters(RouteDefinition definition) {
        Map<String, String> parameters = new TreeMap<>();
        if (definition != null && definition.getTemplateParameters() != null) {
            definition.getTemplateParameters().forEach((k, v) -> parameters.put(k, v == null ? null : v.toString()));
        }
        return parameters;
    }
}
