package dev.firehose.ingest.relay;

import dev.firehose.ingest.delivery.DeliveryWatermark;
import org.apache.camel.component.vertx.websocket.VertxWebsocketComponent;
import org.apache.camel.component.vertx.websocket.VertxWebsocketComponentConfigurer;
import org.apache.camel.component.vertx.websocket.VertxWebsocketConfiguration;
import org.apache.camel.component.vertx.websocket.VertxWebsocketEndpoint;
import org.apache.camel.component.vertx.websocket.VertxWebsocketEndpointConfigurer;
import org.apache.camel.spi.PropertyConfigurer;

/**
 * camel-vertx-websocket, extended for a firehose relay. Bound in the registry as {@code vertx-websocket}, so the
 * routes use the ordinary endpoint URI; client consumers ({@code consumeAsClient=true}) become
 * {@link FirehoseClientConsumer}s: frames in relay order, in line, each frame's life in the delivery watermark, a
 * paused socket while the pipeline is full, dead connections found by PING, the current cursor on every connect, and
 * messages up to 16 MiB.
 */
public class FirehoseWebsocketComponent extends VertxWebsocketComponent {

    private final RelayFlowControl flowControl;
    private final DeliveryWatermark watermark;
    private final RelaySettings settings;
    private final RelayStatus status;

    public FirehoseWebsocketComponent(RelayFlowControl flowControl, DeliveryWatermark watermark,
                                      RelaySettings settings, RelayStatus status) {
        this.flowControl = flowControl;
        this.watermark = watermark;
        this.settings = settings;
        this.status = status;
    }

    // Camel finds generated configurers by class name; a subclass must point at its parent's, or the endpoint
    // options (consumeAsClient, ...) would silently end up in the websocket URI's query.
    @Override
    public PropertyConfigurer getComponentPropertyConfigurer() {
        return new VertxWebsocketComponentConfigurer();
    }

    @Override
    public PropertyConfigurer getEndpointPropertyConfigurer() {
        return new VertxWebsocketEndpointConfigurer();
    }

    @Override
    protected VertxWebsocketEndpoint createEndpointInstance(String uri, VertxWebsocketConfiguration configuration) {
        return new FirehoseWebsocketEndpoint(uri, this, configuration, flowControl, watermark, settings, status);
    }
}
