package dev.firehose.ingest.testsupport;

/** Reads Camel's route metrics from a Prometheus scrape of the service's /metrics. */
public final class CamelRouteMetrics {

    private CamelRouteMetrics() {
    }

    /** The exchanges route {@code routeId} ran ({@code camel_exchanges_total}), summed over its series. */
    public static long exchanges(String metrics, String routeId) {
        return metrics.lines()
                .filter(l -> l.startsWith("camel_exchanges_total{") && l.contains("routeId=\"" + routeId + "\""))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
