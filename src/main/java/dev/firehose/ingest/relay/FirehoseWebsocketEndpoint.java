package dev.firehose.ingest.relay;

import java.net.URI;
import java.util.OptionalLong;

import dev.firehose.ingest.delivery.DeliveryWatermark;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.component.vertx.websocket.VertxWebsocketConfiguration;
import org.apache.camel.component.vertx.websocket.VertxWebsocketEndpoint;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.component.vertx.common.VertxHelper;

/** A vertx-websocket endpoint whose client consumer is a {@link FirehoseClientConsumer}. */
public class FirehoseWebsocketEndpoint extends VertxWebsocketEndpoint {

    private static final int CLOSING_TIMEOUT_SECONDS = 2;

    private final RelayFlowControl flowControl;
    private final DeliveryWatermark watermark;
    private final RelaySettings settings;
    private final RelayStatus status;

    public FirehoseWebsocketEndpoint(String uri, FirehoseWebsocketComponent component,
                                     VertxWebsocketConfiguration configuration, RelayFlowControl flowControl,
                                     DeliveryWatermark watermark, RelaySettings settings, RelayStatus status) {
        super(uri, component, configuration);
        this.flowControl = flowControl;
        this.watermark = watermark;
        this.settings = settings;
        this.status = status;
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (!getConfiguration().isConsumeAsClient()) {
            return super.createConsumer(processor);
        }
        Consumer consumer = new FirehoseClientConsumer(this, processor, flowControl, watermark, settings, status);
        configureConsumer(consumer);
        return consumer;
    }

    Vertx vertx() {
        return getVertx();
    }

    /**
     * Client options: websocket limits large enough for real relay frames (unless a {@code clientOptions} bean says
     * otherwise), and the endpoint's TLS settings. Taken from the endpoint's HttpClientOptions, which is what
     * camel-vertx-websocket configures.
     */
    WebSocketClientOptions clientOptions() throws Exception {
        HttpClientOptions http = getConfiguration().getClientOptions();
        http = http == null
                ? new HttpClientOptions().setMaxWebSocketFrameSize(settings.maxMessageBytes())
                        .setMaxWebSocketMessageSize(settings.maxMessageBytes())
                : new HttpClientOptions(http);
        SSLContextParameters ssl = getConfiguration().getSslContextParameters();
        if (ssl != null) {
            VertxHelper.setupSSLOptions(getCamelContext(), ssl, http);
        }
        WebSocketClientOptions options = new WebSocketClientOptions()
                .setMaxFrameSize(http.getMaxWebSocketFrameSize())
                .setMaxMessageSize(http.getMaxWebSocketMessageSize())
                .setConnectTimeout(http.getConnectTimeout())
                .setVerifyHost(http.isVerifyHost())
                .setTrustAll(http.isTrustAll())
                .setSsl(http.isSsl())
                // a replaced (dead) connection is not waited for long: its close handshake may never come
                .setClosingTimeout(CLOSING_TIMEOUT_SECONDS);
        options.setTrustOptions(http.getTrustOptions());
        options.setKeyCertOptions(http.getKeyCertOptions());
        return options;
    }

    /** The configured relay URI with {@code cursor} set to the resume point (or removed to start live). */
    WebSocketConnectOptions connectOptions(WebSocketClientOptions options, OptionalLong cursor) {
        WebSocketConnectOptions connect = getWebSocketConnectOptions(new HttpClientOptions().setSsl(options.isSsl()));
        connect.setURI(withCursor(getConfiguration().getWebsocketURI(), cursor));
        return connect;
    }

    /** Path and query of {@code uri}, any {@code cursor} parameter replaced by {@code cursor}. */
    static String withCursor(URI uri, OptionalLong cursor) {
        StringBuilder query = new StringBuilder();
        if (uri.getRawQuery() != null) {
            for (String part : uri.getRawQuery().split("&")) {
                if (!part.isEmpty() && !part.equals("cursor") && !part.startsWith("cursor=")) {
                    query.append(query.length() == 0 ? "" : "&").append(part);
                }
            }
        }
        if (cursor.isPresent()) {
            query.append(query.length() == 0 ? "" : "&").append("cursor=").append(cursor.getAsLong());
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return query.length() == 0 ? path : path + "?" + query;
    }

    /** For logs: the relay address without query parameters (which might carry secrets). */
    String displayAddress() {
        URI uri = getConfiguration().getWebsocketURI();
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                + uri.getRawPath();
    }
}
