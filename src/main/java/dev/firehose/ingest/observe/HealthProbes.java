package dev.firehose.ingest.observe;

import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;

/**
 * Liveness and readiness from Camel's health-check registry, computed as Camel's own endpoints
 * ({@code <camel.management.health-path>/live} and {@code /ready}) compute them: the same helper, the registry's
 * exposure level and the same rule (liveness: no check DOWN; readiness: every check UP). So {@code /health} and
 * {@code /ready} cannot disagree with Camel's; this is the one place that turns check results into an answer.
 */
public final class HealthProbes {

    /** An answer, and the checks that made it negative (in check order). */
    public record Outcome(boolean up, List<HealthCheck.Result> failing) {

        /** The failing checks' messages, or null when up. */
        public String reason() {
            if (up) {
                return null;
            }
            return failing.stream().map(HealthProbes::describe).collect(Collectors.joining("; "));
        }
    }

    private final CamelContext camel;

    public HealthProbes(CamelContext camel) {
        this.camel = camel;
    }

    public Outcome liveness() {
        return outcome(HealthCheckHelper.invokeLiveness(camel, exposureLevel()), false);
    }

    public Outcome readiness() {
        return outcome(HealthCheckHelper.invokeReadiness(camel, exposureLevel()), true);
    }

    /** Every enabled check, each with its own result, for the detailed report. */
    public Collection<HealthCheck.Result> all() {
        return HealthCheckHelper.invoke(camel, "full");
    }

    private String exposureLevel() {
        HealthCheckRegistry registry = HealthCheckRegistry.get(camel);
        return registry == null ? null : registry.getExposureLevel();
    }

    private static Outcome outcome(Collection<HealthCheck.Result> results, boolean readiness) {
        boolean up = HealthCheckHelper.isResultsUp(results, readiness);
        List<HealthCheck.Result> failing = results.stream()
                .filter(r -> readiness ? r.getState() != HealthCheck.State.UP : r.getState() == HealthCheck.State.DOWN)
                .toList();
        return new Outcome(up, failing);
    }

    static String describe(HealthCheck.Result result) {
        return result.getMessage().orElse(result.getCheck().getId() + " is " + result.getState());
    }
}
