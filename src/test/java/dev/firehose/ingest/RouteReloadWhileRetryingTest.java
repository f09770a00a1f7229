package dev.firehose.ingest;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import dev.firehose.ingest.delivery.DeliveryWatermark;
import dev.firehose.ingest.testsupport.ConfigMapVolume;
import dev.firehose.ingest.testsupport.RelayFrame;
import io.nats.client.Nats;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 13 item 6 (rule D2 of docs/invariants.md): publishes that are being retried belong to the service, not to a
 * route, so a route reload does not orphan them. NATS is frozen (SIGSTOP) with posts in flight, the route is edited and
 * reloaded, 15 s pass, NATS resumes: every post lands once and the cursor reaches the last frame. Then an edit that
 * parses but cannot start (it names a bean that does not exist) leaves the running route in place: the frames that
 * come after it land too.
 */
class RouteReloadWhileRetryingTest extends ServiceEndToEndSupport {

    private static final int HALF = FRAMES / 2;
    private ConfigMapVolume routes;

    @Override
    protected List<RelayFrame> firstFrames() {
        return corpus.frames().subList(0, HALF);
    }

    @Override
    protected Properties serviceProperties() {
        Properties p = super.serviceProperties();
        routes = ConfigMapVolume.create(ConfigMapVolume.shippedRoutes());
        p.setProperty("routes.directory", routes.dir().toString());
        p.setProperty("routes.reload-interval-ms", "300");
        return p;
    }

    @Test
    void publishesInFlightSurviveARouteReloadAndABrokenEditKeepsTheRunningRoute() throws Exception {
        DeliveryWatermark watermark = context.getRegistry()
                .lookupByNameAndType("deliveryWatermark", DeliveryWatermark.class);
        RoutesReloader reloader = context.getRegistry().lookupByNameAndType("routesReloader", RoutesReloader.class);
        String shipped = ConfigMapVolume.shippedRoutes().get("relay.yaml");
        long firstHalfEnd = corpus.frames().get(HALF - 1).seq();
        await().atMost(Duration.ofSeconds(30)).until(() -> watermark.lastDecoded() >= corpus.frames().get(HALF / 2).seq());

        nats.pause();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> watermark.lastDecoded() == firstHalfEnd);
            await().atMost(Duration.ofSeconds(30)).until(() -> watermark.heldPosts() > 0);
            routes.publish(ConfigMapVolume.shippedRoutesWith("relay.yaml",
                    shipped.replace("# The whole ingest flow", "# Edited while NATS was frozen. The whole ingest flow")));
            await().atMost(Duration.ofSeconds(30)).until(() -> reloader.reloads() == 1);
            Thread.sleep(15_000);
            assertThat(watermark.heldPosts()).as("still held, not dropped by the reload").isPositive();
        } finally {
            nats.resume();
        }
        client.close(); // a connection that did not live through the pause (see NatsRestartTest)
        client = Nats.connect(nats.url());
        awaitStoredCursor(firstHalfEnd);

        routes.publish(ConfigMapVolume.shippedRoutesWith("relay.yaml",
                shipped.replace("ref: frameDecoder", "ref: noSuchBean")));
        await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ofSeconds(2))
                .until(() -> context.getRoute("firehose-ingest") != null
                        && context.getRouteController().getRouteStatus("firehose-ingest").isStarted());
        assertThat(reloader.reloads()).as("the broken edit did not count as a reload").isEqualTo(1);

        relay.append(corpus.frames().subList(HALF, FRAMES));
        awaitStoredCursor(corpus.lastSeq());
        assertStreamHoldsExactly(expectedPosts(corpus.posts()));
        assertThat(watermark.heldPosts()).isZero();
    }
}
