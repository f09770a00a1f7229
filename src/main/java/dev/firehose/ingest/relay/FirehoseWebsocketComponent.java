package dev.firehose.ingest.relay;

import org.apache.camel.component.vertx.websocket.VertxWebsocketComponent;
import org.apache.camel.component.vertx.websocket.VertxWebsocketComponentConfigurer;
import org.apache.camel.component.vertx.websocket.VertxWebsocketConfiguration;
import org.apache.camel.component.vertx.websocket.VertxWebsocketEndpoint;
import org.apache.camel.component.vertx.websocket.VertxWebsocketEndpointConfigurer;
import org.apache.camel.spi.PropertyConfigurer;

/**
 * camel-vertx-websocket, extended for a firehose relay. Bound in the registry as {@code vertx-websocket}, so the
 * routes use the ordinary endpoint URI; client consumers ({@code consumeAsClient=true}) become
 * {@link FirehoseClientConsumer}s: frames in relay order, one at a time, a paused socket while the pipeline is
 * full, the current cursor on every connect, and messages up to 16 MiB.
 */
public class FirehoseWebsocketComponent extends VertxWebsocketComponent {

    private final RelayFlowControl flowControl;
    private final RelaySettings settings;
    private final RelayStatus status;

    public FirehoseWebsocketComponent(RelayFlowControl flowControl, RelaySettings settings, RelayStatus status) {
        this.flowControl = flowControl;
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
        return new FirehoseWebsocketEndpoint(uri, this, configuration, flowControl, settings, status);
    }
}
