package com.emaileventhub.intake;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.Predicate;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.FilterDefinition;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SetPropertyDefinition;
import org.apache.camel.model.WhenDefinition;
import org.apache.camel.model.language.ExpressionDefinition;
import org.apache.camel.reifier.language.ExpressionReifier;
import org.apache.camel.support.LanguageSupport;

/**
 * The fan-out rules route run without the routing engine: its steps ({@code setProperty}, {@code filter},
 * {@code choice}) with the very predicates and expressions Camel builds from the YAML, applied to the exchange in
 * route order. Calling the route costs a unit of work, a channel and the reactive executor per step and per event; the
 * profile of batches put that at a quarter of the fan-out's time. A rules route that uses anything else (a processor,
 * a log, an intercept, a route configuration, a disabled step) is not compiled: {@link #compile} says why, and the
 * fan-out calls the route as before. The exchange never enters the route, so an expression about the route's own run
 * (${routeId}, the message history) reads nothing here: rules choose by the event.
 */
final class RuleSteps {
    /** One step of the route, applied to the exchange. */
    private interface Step {
        void apply(Exchange exchange) throws Exception;
    }

    private final List<Step> steps;

    private RuleSteps(List<Step> steps) {
        this.steps = steps;
    }

    /** Runs the steps in order; stops at the first that fails, as the route's pipeline does. */
    void apply(Exchange exchange) throws Exception {
        run(steps, exchange);
    }

    private static void run(List<Step> steps, Exchange exchange) throws Exception {
        for (Step step : steps) {
            step.apply(exchange);
            if (exchange.getException() != null) {
                return;
            }
        }
    }

    /** The compiled steps, or the reason the route must run as a route. */
    record Compiled(Optional<RuleSteps> steps, String reason) {
    }

    static Compiled compile(CamelContext context, RouteDefinition route) {
        if (route == null) {
            return new Compiled(Optional.empty(), "no rules route");
        }
        String reason = routeLevel(context, route);
        if (reason != null) {
            return new Compiled(Optional.empty(), reason);
        }
        List<Step> steps = new ArrayList<>();
        reason = compile(context, route.getOutputs(), steps);
        return reason == null ? new Compiled(Optional.of(new RuleSteps(List.copyOf(steps))), null)
                : new Compiled(Optional.empty(), reason);
    }

    /** Whatever the engine would add around the steps: then the route runs as a route. */
    private static String routeLevel(CamelContext context, RouteDefinition route) {
        if (route.getRouteConfigurationId() != null || route.getErrorHandlerRef() != null
                || route.getErrorHandler() != null) {
            return "the route names a route configuration or an error handler";
        }
        if (route.getRoutePolicyRef() != null || route.getRoutePolicies() != null && !route.getRoutePolicies().isEmpty()) {
            return "the route has a route policy";
        }
        if (route.getDelayer() != null || "true".equals(route.getTrace()) || "true".equals(route.getMessageHistory())) {
            return "the route sets a delayer, tracing or message history";
        }
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        if (model != null) {
            for (RouteConfigurationDefinition config : model.getRouteConfigurationDefinitions()) {
                if (config.getId() == null) {
                    return "a route configuration without an id applies to every route";
                }
            }
        }
        return null;
    }

    private static String compile(CamelContext context, List<ProcessorDefinition<?>> outputs, List<Step> into) {
        for (ProcessorDefinition<?> output : outputs) {
            if (output.getDisabled() != null) {
                return "step " + output.getShortName() + " sets disabled";
            }
            String reason;
            if (output instanceof SetPropertyDefinition set) {
                reason = setProperty(context, set, into);
            } else if (output instanceof FilterDefinition filter) {
                reason = filter(context, filter, into);
            } else if (output instanceof ChoiceDefinition choice) {
                reason = choice(context, choice, into);
            } else {
                reason = "step " + output.getShortName() + " is not setProperty, filter or choice";
            }
            if (reason != null) {
                return reason;
            }
        }
        return null;
    }

    private static String setProperty(CamelContext context, SetPropertyDefinition set, List<Step> into) {
        String name = context.resolvePropertyPlaceholders(set.getName());
        if (name == null || LanguageSupport.hasSimpleFunction(name)) {
            return "setProperty computes its name";
        }
        Expression value = expression(context, set.getExpression());
        into.add(exchange -> exchange.setProperty(name, value.evaluate(exchange, Object.class)));
        return null;
    }

    private static String filter(CamelContext context, FilterDefinition filter, List<Step> into) {
        if (filter.getStatusPropertyName() != null) {
            return "filter sets statusPropertyName";
        }
        Predicate test = predicate(context, filter.getExpression());
        List<Step> then = new ArrayList<>();
        String reason = compile(context, filter.getOutputs(), then);
        if (reason != null) {
            return reason;
        }
        List<Step> steps = List.copyOf(then);
        into.add(exchange -> {
            if (test.matches(exchange)) {
                run(steps, exchange);
            }
        });
        return null;
    }

    private static String choice(CamelContext context, ChoiceDefinition choice, List<Step> into) {
        if (choice.getPrecondition() != null) {
            return "choice sets precondition";
        }
        List<Predicate> tests = new ArrayList<>();
        List<List<Step>> branches = new ArrayList<>();
        for (WhenDefinition when : choice.getWhenClauses()) {
            if (when.getDisabled() != null) {
                return "a when clause sets disabled";
            }
            List<Step> then = new ArrayList<>();
            String reason = compile(context, when.getOutputs(), then);
            if (reason != null) {
                return reason;
            }
            tests.add(predicate(context, when.getExpression()));
            branches.add(List.copyOf(then));
        }
        List<Step> otherwise = new ArrayList<>();
        if (choice.getOtherwise() != null) {
            if (choice.getOtherwise().getDisabled() != null) {
                return "otherwise sets disabled";
            }
            String reason = compile(context, choice.getOtherwise().getOutputs(), otherwise);
            if (reason != null) {
                return reason;
            }
        }
        List<Step> fallback = List.copyOf(otherwise);
        into.add(exchange -> {
            for (int i = 0; i < tests.size(); i++) {
                if (tests.get(i).matches(exchange)) {
                    run(branches.get(i), exchange);
                    return;
                }
            }
            run(fallback, exchange);
        });
        return null;
    }

    private static Predicate predicate(CamelContext context, ExpressionDefinition definition) {
        return ExpressionReifier.reifier(context, definition).createPredicate();
    }

    private static Expression expression(CamelContext context, ExpressionDefinition definition) {
        return ExpressionReifier.reifier(context, definition).createExpression();
    }
}
